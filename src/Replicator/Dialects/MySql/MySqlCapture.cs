using Repl.Configuration;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.MySql;

/// <summary>
/// MariaDB master objects, in the master's database: <c>repl_nodes</c>, <c>repl_tables</c>, one system-versioned
/// log per table (<c>repl_&lt;table&gt;_log</c>) filled by row triggers, and <c>repl_processed_&lt;node&gt;</c> per slave.
/// Rendered from sql/triggers/mysql/.
/// </summary>
internal sealed class MySqlCapture(SchemaDialect schema) : ICapture
{
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <summary>Raw name of the node registry.</summary>
    public static readonly DbObjectName Nodes = new(null, "repl_nodes");

    /// <summary>Raw name of the table registry.</summary>
    public static readonly DbObjectName Tables = new(null, "repl_tables");

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallBase() => SqlTemplate.Render("mysql/base.sql", Registries());

    /// <inheritdoc/>
    /// <remarks>The stem of every generated name is the lower-cased table name.</remarks>
    public ReplicatedTable Describe(TableDefinition source, TableMode mode)
    {
        var stem = source.Name.Name.ToLowerInvariant();
        // The log lives in the table's database: unqualified names inside a trigger resolve there.
        return new ReplicatedTable(source, mode, new DbObjectName(null, source.Name.Name),
            new DbObjectName(source.Name.Schema, identifiers.Derive("repl", stem, "log")), stem);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallTable(ReplicatedTable table)
    {
        var keys = table.Source.Key.Columns.Select(identifiers.Quote).ToList();
        var values = TableSlots(table);
        values["key_columns"] = string.Join(",\n", table.Source.KeyColumns.Select(c =>
            $"    {identifiers.Quote(c.Name)} {schema.Types.ToDdl(c.Type)} NOT NULL"));
        values["log_index"] = identifiers.Quote(identifiers.Derive("repl", table.BaseName, "txid", "idx"));
        values["log_end_index"] = identifiers.Quote(identifiers.Derive("repl", table.BaseName, "txid", "end", "idx"));
        values["key_list"] = string.Join(", ", keys);
        values["new_keys"] = string.Join(", ", keys.Select(k => "NEW." + k));
        values["old_keys"] = string.Join(", ", keys.Select(k => "OLD." + k));
        values["keys_unchanged"] = string.Join(" AND ", keys.Select(k => $"OLD.{k} <=> NEW.{k}"));
        values["tables"] = identifiers.Quote(Tables);
        values["log_literal"] = Literal(table.LogName.Name);
        values["columns_literal"] = Literal(ColumnSignature.Of(table.Source));
        return SqlTemplate.Render("mysql/capture.sql", values);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallTable(ReplicatedTable table)
    {
        var values = TableSlots(table);
        values["tables"] = identifiers.Quote(Tables);
        // MariaDB drops triggers by name, not ON a table.
        values.Remove("table");
        return SqlTemplate.Render("mysql/uninstall_table.sql", values);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallNode(string node, Vendor provider) =>
        SqlTemplate.Render("mysql/node.sql", new Dictionary<string, string>
        {
            ["nodes"] = identifiers.Quote(Nodes),
            ["processed"] = identifiers.Quote(ProcessedTable(node)),
            ["node_literal"] = Literal(node),
            ["provider_literal"] = Literal(VendorNames.Of(provider)),
        });

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallNode(string node) =>
        SqlTemplate.Render("mysql/uninstall_node.sql", new Dictionary<string, string>
        {
            ["nodes"] = identifiers.Quote(Nodes),
            ["processed"] = identifiers.Quote(ProcessedTable(node)),
            ["node_literal"] = Literal(node),
        });

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallBase() => SqlTemplate.Render("mysql/uninstall_base.sql", Registries());

    /// <inheritdoc/>
    public string RegistryExistsQuery =>
        $"SELECT COUNT(*) > 0 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {Literal(Tables.Name)}";

    /// <inheritdoc/>
    public string RegistryCurrentQuery =>
        "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " + Literal(Nodes.Name) +
        " AND COLUMN_NAME = 'last_cycle_at'";

    /// <inheritdoc/>
    public IReadOnlyList<string> UpgradeBase() =>
        SqlTemplate.Render("mysql/upgrade_base.sql", new Dictionary<string, string> { ["nodes"] = identifiers.Quote(Nodes) });

    /// <inheritdoc/>
    public string RegisteredTablesQuery => $"SELECT source_schema, source_table, columns FROM {identifiers.Quote(Tables)}";

    /// <inheritdoc/>
    public string RegisteredNodesQuery => $"SELECT name, loaded_at IS NOT NULL FROM {identifiers.Quote(Nodes)}";

    /// <inheritdoc/>
    public IReadOnlyList<string> MarkLoaded(string node) =>
        [$"UPDATE {identifiers.Quote(Nodes)} SET loaded_at = CURRENT_TIMESTAMP(6) WHERE name = {Literal(node)}"];

    /// <inheritdoc/>
    public DbObjectName ProcessedTable(string node) => new(null, identifiers.Derive("repl", "processed", node.ToLowerInvariant()));

    /// <summary>A MariaDB string literal that means the same under every sql_mode (with or without NO_BACKSLASH_ESCAPES).</summary>
    public static string Literal(string value)
    {
        // Doubling the quote works in every sql_mode; a backslash is written as CHAR(92) so its meaning cannot change.
        if (!value.Contains('\\', StringComparison.Ordinal))
            return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        var parts = value.Split('\\').Select(p => "'" + p.Replace("'", "''", StringComparison.Ordinal) + "'");
        return "CONCAT(" + string.Join(", CHAR(92), ", parts) + ")";
    }

    private Dictionary<string, string> Registries() => new()
    {
        ["nodes"] = identifiers.Quote(Nodes),
        ["tables"] = identifiers.Quote(Tables),
    };

    private Dictionary<string, string> TableSlots(ReplicatedTable table)
    {
        // Triggers live in the database of their table.
        DbObjectName Trigger(string suffix) => new(table.Source.Name.Schema, identifiers.Derive("repl", table.BaseName, suffix));
        return new Dictionary<string, string>
        {
            ["table"] = identifiers.Quote(table.Source.Name),
            ["log"] = identifiers.Quote(table.LogName),
            ["trigger_insert"] = identifiers.Quote(Trigger("ins")),
            ["trigger_update"] = identifiers.Quote(Trigger("upd")),
            ["trigger_delete"] = identifiers.Quote(Trigger("del")),
            ["source_schema_literal"] = Literal(table.Source.Name.Schema ?? ""),
            ["source_table_literal"] = Literal(table.Source.Name.Name),
        };
    }
}
