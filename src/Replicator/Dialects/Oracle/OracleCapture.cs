using System.Globalization;
using System.Text;
using Repl.Configuration;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Oracle master objects: the registries <c>REPL_NODES</c> and <c>REPL_TABLES</c> in the schema repl connects to, one
/// log per table (<c>REPL_&lt;TABLE&gt;_LOG</c>, in the table's schema) filled by one row trigger
/// (<c>REPL_&lt;TABLE&gt;_TRG</c>), and <c>REPL_PROCESSED_&lt;NODE&gt;</c> per slave. Rendered from sql/triggers/oracle/.
/// Generated and golden-tested; not run against a live Oracle.
/// </summary>
/// <remarks>
/// Generated names are upper-case, as a DBA expects them (<c>REPL_SITEUSERS_LOG</c>), and shortened through the Oracle
/// identifier rules (30 or 128 bytes), so the <see cref="ReplicatedTable.BaseName"/> of an Oracle table is its
/// upper-cased name. Oracle has no IF [NOT] EXISTS before 23ai: <see cref="Idempotent"/> wraps the CREATE and DROP
/// statements of the templates in PL/SQL blocks that ignore the "already exists" and "does not exist" errors.
/// </remarks>
internal sealed class OracleCapture(SchemaDialect schema) : ICapture
{
    /// <summary>Raw name of the node registry.</summary>
    public static readonly DbObjectName Nodes = new(null, "REPL_NODES");

    /// <summary>Raw name of the table registry.</summary>
    public static readonly DbObjectName Tables = new(null, "REPL_TABLES");

    // Oracle refuses a string literal longer than 4000 bytes in SQL; longer text is built from CLOB pieces.
    private const int MaxLiteralBytes = 4000;

    // 1000 UTF-16 units are at most 3000 UTF-8 bytes, well inside one literal.
    private const int ClobPieceChars = 1000;

    // The log's own columns; a key column of the same name would clash with them.
    private static readonly string[] LogColumns = ["TXID", "LOGGED_AT"];

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    /// <remarks>The stem of every generated name is the upper-cased table name; the log lives in the table's schema.</remarks>
    public ReplicatedTable Describe(TableDefinition source, TableMode mode)
    {
        var stem = source.Name.Name.ToUpperInvariant();
        return new ReplicatedTable(source, mode, new DbObjectName(null, source.Name.Name),
            new DbObjectName(source.Name.Schema, Name(identifiers, "REPL", stem, "LOG")), stem);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallBase() => Render("oracle/base.sql", new Dictionary<string, string>
    {
        ["nodes"] = identifiers.Quote(Nodes),
        ["tables"] = identifiers.Quote(Tables),
        ["nodes_pk"] = identifiers.Quote(Name(identifiers, Nodes.Name, "PK")),
        ["tables_pk"] = identifiers.Quote(Name(identifiers, Tables.Name, "PK")),
    });

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallTable(ReplicatedTable table)
    {
        var clash = table.Source.Key.Columns.FirstOrDefault(k => LogColumns.Contains(k, StringComparer.Ordinal));
        if (clash is not null)
            throw new SchemaException(
                $"Table {table.Source.Name}: key column {clash} has the name of a column of repl's change log {table.LogName} " +
                $"({string.Join(", ", LogColumns)}). Rename the key column to replicate the table from Oracle.");

        var keys = table.Source.Key.Columns.Select(identifiers.Quote).ToList();
        var values = TableSlots(table);
        values["key_columns"] = string.Join(",\n", table.Source.KeyColumns.Select(c =>
            $"    {identifiers.Quote(c.Name)} {schema.Types.ToDdl(c.Type)} NOT NULL"));
        values["log_index"] = identifiers.Quote(new DbObjectName(table.LogName.Schema, Name(identifiers, "REPL", table.BaseName, "TXID", "IDX")));
        values["table"] = identifiers.Quote(table.Source.Name);
        values["key_list"] = string.Join(", ", keys);
        values["old_keys"] = string.Join(", ", keys.Select(k => ":OLD." + k));
        values["new_keys"] = string.Join(", ", keys.Select(k => ":NEW." + k));
        values["keys_unchanged"] = string.Join(" AND ", keys.Select(k => $":OLD.{k} = :NEW.{k}"));
        values["log_literal"] = Literal(table.LogName.ToString());
        values["columns_literal"] = Literal(ColumnSignature.Of(table.Source));
        return Render("oracle/capture.sql", values);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallTable(ReplicatedTable table) => Render("oracle/uninstall_table.sql", TableSlots(table));

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallNode(string node, Vendor provider) => Render("oracle/node.sql", new Dictionary<string, string>
    {
        ["nodes"] = identifiers.Quote(Nodes),
        ["processed"] = identifiers.Quote(ProcessedTable(node)),
        ["processed_pk"] = identifiers.Quote(Name(identifiers, "REPL", "PROCESSED", node, "PK")),
        ["node_literal"] = Literal(node),
        ["provider_literal"] = Literal(VendorNames.Of(provider)),
    });

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallNode(string node) => Render("oracle/uninstall_node.sql", new Dictionary<string, string>
    {
        ["nodes"] = identifiers.Quote(Nodes),
        ["processed"] = identifiers.Quote(ProcessedTable(node)),
        ["node_literal"] = Literal(node),
    });

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallBase() => Render("oracle/uninstall_base.sql", new Dictionary<string, string>
    {
        ["nodes"] = identifiers.Quote(Nodes),
        ["tables"] = identifiers.Quote(Tables),
    });

    /// <summary>Query: one row, one column, 1 when the registries exist in the schema repl connects to, else 0.</summary>
    public string RegistryExistsQuery =>
        "SELECT COUNT(*) FROM ALL_TABLES WHERE OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') AND TABLE_NAME = " + Literal(Tables.Name);

    /// <summary>Query: one row, one column, 1 when the node registry has LAST_CYCLE_AT, else 0.</summary>
    public string RegistryCurrentQuery =>
        "SELECT COUNT(*) FROM ALL_TAB_COLUMNS WHERE OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') AND TABLE_NAME = " + Literal(Nodes.Name) +
        " AND COLUMN_NAME = 'LAST_CYCLE_AT'";

    /// <summary>Adds to registries created by an earlier repl the columns this version uses; idempotent.</summary>
    public IReadOnlyList<string> UpgradeBase() => Render("oracle/upgrade_base.sql", new Dictionary<string, string> { ["nodes"] = identifiers.Quote(Nodes) });

    /// <summary>Query: <c>source_schema, source_table, columns</c> for every registered table.</summary>
    public string RegisteredTablesQuery => $"SELECT SOURCE_SCHEMA, SOURCE_TABLE, COLUMNS FROM {identifiers.Quote(Tables)}";

    /// <summary>Query: <c>name, loaded</c> (1 once the initial load committed, else 0) for every registered node.</summary>
    public string RegisteredNodesQuery => $"SELECT NAME, CASE WHEN LOADED_AT IS NULL THEN 0 ELSE 1 END FROM {identifiers.Quote(Nodes)}";

    /// <summary>Records that the initial load of <paramref name="node"/> committed.</summary>
    public IReadOnlyList<string> MarkLoaded(string node) =>
        [$"UPDATE {identifiers.Quote(Nodes)} SET LOADED_AT = SYSTIMESTAMP WHERE NAME = {Literal(node)}"];

    /// <inheritdoc/>
    public DbObjectName ProcessedTable(string node) => new(null, Name(identifiers, "REPL", "PROCESSED", node));

    /// <summary>
    /// An Oracle string literal: the quote is doubled (Oracle knows no backslash escapes). Text over 4000 bytes, which
    /// Oracle refuses as one literal, becomes a CLOB expression <c>TO_CLOB('…') || TO_CLOB('…')</c>, valid in SQL and
    /// PL/SQL alike. Oracle reads the empty string as NULL, so <c>Literal("")</c> is NULL too.
    /// </summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Encoding.UTF8.GetByteCount(value) <= MaxLiteralBytes)
            return Quoted(value);
        var pieces = new List<string>();
        for (var start = 0; start < value.Length;)
        {
            var length = Math.Min(ClobPieceChars, value.Length - start);
            // Never split a surrogate pair between two pieces.
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
                length--;
            pieces.Add("TO_CLOB(" + Quoted(value.Substring(start, length)) + ")");
            start += length;
        }
        return string.Join(" || ", pieces);
    }

    /// <summary>
    /// Makes one rendered statement safe to run again. CREATE TABLE / CREATE GLOBAL TEMPORARY TABLE / CREATE [UNIQUE]
    /// INDEX run inside a PL/SQL block that ignores ORA-00955 (name already used); ALTER TABLE ... ADD (a column added
    /// for registries older than it) inside one that ignores ORA-01430 (column already exists); DROP TABLE, DROP TRIGGER,
    /// DROP PROCEDURE and DROP INDEX inside one that ignores their "does not exist" error (ORA-00942, ORA-04080,
    /// ORA-04043, ORA-01418). Any other statement (CREATE OR REPLACE, MERGE, DML) is returned as it is.
    /// </summary>
    /// <remarks>Oracle has no IF [NOT] EXISTS before 23ai; catching the error leaves no window between a check and the DDL.</remarks>
    public static string Idempotent(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var ignored = IgnoredError(statement);
        if (ignored is not { } error)
            return statement;
        var code = error.Code.ToString(CultureInfo.InvariantCulture);
        return $"""
            DECLARE
                {error.Name} EXCEPTION;
                PRAGMA EXCEPTION_INIT({error.Name}, -{code});
            BEGIN
                EXECUTE IMMEDIATE {Literal(statement)};
            EXCEPTION
                WHEN {error.Name} THEN
                    NULL;
            END;
            """;
    }

    /// <summary>
    /// A generated object name: the parts upper-cased, joined and shortened by the Oracle identifier rules, and the hash
    /// suffix of a shortened name upper-cased too, so every name repl creates reads as a DBA would type it
    /// (<c>REPL_SITEUSERS_LOG</c>). Upper-casing the result again cannot change its length: the rest is already upper case.
    /// </summary>
    internal static string Name(IIdentifierRules identifiers, params string[] parts) =>
        identifiers.Derive([.. parts.Select(p => p.ToUpperInvariant())]).ToUpperInvariant();

    /// <summary>Renders an Oracle template and makes each of its statements idempotent.</summary>
    internal static IReadOnlyList<string> Render(string path, IReadOnlyDictionary<string, string> values) =>
        SqlTemplate.Render(path, values).Select(Idempotent).ToList();

    private static (string Name, int Code)? IgnoredError(string statement)
    {
        bool Is(string prefix) => statement.StartsWith(prefix, StringComparison.Ordinal);
        if (Is("CREATE TABLE ") || Is("CREATE GLOBAL TEMPORARY TABLE ") || Is("CREATE INDEX ") || Is("CREATE UNIQUE INDEX "))
            return ("name_in_use", 955);
        if (Is("ALTER TABLE ") && statement.Contains(" ADD (", StringComparison.Ordinal))
            return ("column_exists", 1430);
        if (Is("DROP TABLE "))
            return ("no_such_table", 942);
        if (Is("DROP TRIGGER "))
            return ("no_such_trigger", 4080);
        if (Is("DROP PROCEDURE "))
            return ("no_such_object", 4043);
        if (Is("DROP INDEX "))
            return ("no_such_index", 1418);
        return null;
    }

    private static string Quoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private Dictionary<string, string> TableSlots(ReplicatedTable table) => new()
    {
        ["log"] = identifiers.Quote(table.LogName),
        ["trigger"] = identifiers.Quote(new DbObjectName(table.Source.Name.Schema, Name(identifiers, "REPL", table.BaseName, "TRG"))),
        ["tables"] = identifiers.Quote(Tables),
        // The Oracle catalog always names the owner; an unqualified table is in the schema repl connects to.
        ["source_schema_literal"] = table.Source.Name.Schema is { } owner ? Literal(owner) : "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')",
        ["source_table_literal"] = Literal(table.Source.Name.Name),
    };
}
