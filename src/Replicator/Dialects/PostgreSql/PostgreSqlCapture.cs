using System.Data.Common;
using Repl.Configuration;
using Repl.Schema;
using Repl.Templates;
using static System.FormattableString;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// PostgreSQL master objects: schema <c>repl</c> with the node and table registries, one log per table
/// (<c>repl.&lt;table&gt;_log</c>) filled by row-level triggers (and a TRUNCATE trigger), and one
/// <c>repl.processed_&lt;node&gt;</c> per slave. Rendered from sql/triggers/postgresql/.
/// The row triggers call PL/pgSQL functions, or <paramref name="captureFunction"/> (the quoted name of the C function of
/// the repl_capture extension) when the master database has that extension (<see cref="ForMasterAsync"/>).
/// </summary>
internal sealed class PostgreSqlCapture(SchemaDialect schema, bool notify = true, string? captureFunction = null) : ICapture
{
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <summary>The schema that holds every object repl creates on a PostgreSQL master.</summary>
    public const string SchemaName = "repl";

    /// <summary>The LISTEN/NOTIFY channel the triggers signal so replay services wake before their interval.</summary>
    public const string NotifyChannel = "repl_changes";

    /// <summary>
    /// First key of the transaction-level advisory lock that lets one transaction at a time NOTIFY ("repl" in ASCII; the
    /// two-key space of advisory locks is separate from the one-key space). A transaction that NOTIFYs holds a
    /// database-wide lock from before its commit until after it, so notifying transactions commit one at a time; with
    /// the gate, a transaction that finds another one notifying skips its own NOTIFY, and the replay woken by the other
    /// (or by the next writer, or at the latest by its interval) picks its changes up.
    /// </summary>
    public const int NotifyGateKey = 0x7265706C;

    /// <summary>The optional extension with the C trigger function (ext/postgresql).</summary>
    public const string ExtensionName = "repl_capture";

    /// <summary>The C trigger function of that extension.</summary>
    private const string FunctionName = "repl_capture";

    /// <summary>The quoted name of the C trigger function the row triggers call; null when they call PL/pgSQL functions.</summary>
    public string? CaptureFunction => captureFunction;

    /// <inheritdoc/>
    /// <remarks>
    /// The C trigger function when the repl_capture extension is installed in the master database (a superuser's
    /// CREATE EXTENSION; repl never installs it). Its script revokes EXECUTE from PUBLIC and creating a trigger needs
    /// EXECUTE, so a connecting user who lacks it is told what to grant, rather than silently getting the slower triggers.
    /// </remarks>
    public async Task<ICapture> ForMasterAsync(DbConnection master, CancellationToken cancellationToken)
    {
        await using var command = master.CreateCommand();
        command.CommandText =
            "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname), " +
            "pg_catalog.has_function_privilege(p.oid, 'EXECUTE'), pg_catalog.quote_ident(current_user) " +
            "FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = e.oid " +
            "AND d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e' " +
            $"JOIN pg_catalog.pg_proc p ON p.oid = d.objid AND p.proname = {Literal(FunctionName)} AND p.pronargs = 0 " +
            "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace " +
            $"WHERE e.extname = {Literal(ExtensionName)}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return this;
        var function = reader.GetString(0);
        if (!reader.GetBoolean(1))
            throw new ReplException(
                $"master: the {ExtensionName} extension is installed in this database, but user {reader.GetString(2)} may not execute {function}(), " +
                $"which repl's triggers would call. As a superuser: GRANT EXECUTE ON FUNCTION {function}() TO {reader.GetString(2)}; " +
                $"or DROP EXTENSION {ExtensionName} to have PL/pgSQL triggers. Nothing was changed.");
        return new PostgreSqlCapture(schema, notify, function);
    }

    /// <inheritdoc/>
    /// <remarks>Reads each table's insert trigger, in one query for all tables.</remarks>
    public async Task<IReadOnlyList<(ReplicatedTable Table, bool Missing)>> TriggersToReinstallAsync(DbConnection master,
        IReadOnlyList<ReplicatedTable> installed, CancellationToken cancellationToken)
    {
        if (installed.Count == 0)
            return [];
        var triggers = installed.Select((t, i) => Invariant(
            $"({i}, pg_catalog.to_regclass({Literal(identifiers.Quote(t.Source.Name))}), {Literal(InsertTrigger(t))})"));
        await using var command = master.CreateCommand();
        command.CommandText =
            $"SELECT w.n, t.oid IS NULL FROM (VALUES {string.Join(", ", triggers)}) AS w (n, relation, trigger) " +
            "LEFT JOIN pg_catalog.pg_trigger t ON t.tgrelid = w.relation AND t.tgname = w.trigger " +
            "LEFT JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid " +
            $"WHERE t.oid IS NULL OR {(captureFunction is null ? "" : "NOT ")}" +
            $"(p.proname = {Literal(FunctionName)} AND p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'c'))";
        var found = new List<(ReplicatedTable, bool)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found.Add((installed[reader.GetInt32(0)], reader.GetBoolean(1)));
        return found;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallBase() =>
        SqlTemplate.Render("postgresql/base.sql", new Dictionary<string, string> { ["schema"] = identifiers.Quote(SchemaName) });

    /// <inheritdoc/>
    /// <remarks>The stem of every generated name is the lower-cased table name.</remarks>
    public ReplicatedTable Describe(TableDefinition source, TableMode mode)
    {
        var stem = source.Name.Name.ToLowerInvariant();
        return new ReplicatedTable(source, mode, new DbObjectName(null, source.Name.Name),
            new DbObjectName(SchemaName, identifiers.Derive(stem, "log")), stem);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallTable(ReplicatedTable table)
    {
        var values = TableSlots(table);
        values["key_columns"] = string.Join(",\n", table.Source.KeyColumns.Select(c =>
            $"    {identifiers.Quote(c.Name)} {schema.Types.ToDdl(c.Type)} NOT NULL"));
        values["log_index"] = identifiers.Quote(identifiers.Derive(table.BaseName, "log", "txid", "idx"));
        values["notify"] = notify
            ? $"\n    IF pg_catalog.pg_try_advisory_xact_lock({NotifyGateKey}, 0) THEN\n        PERFORM pg_catalog.pg_notify({Literal(NotifyChannel)}, '');\n    END IF;"
            : "";
        values["log_literal"] = Literal(table.LogName.ToString());
        values["columns_literal"] = Literal(ColumnSignature.Of(table.Source));
        var keys = table.Source.Key.Columns.Select(identifiers.Quote).ToList();
        values["key_list"] = string.Join(", ", keys);
        values["new_keys"] = string.Join(", ", keys.Select(k => "NEW." + k));
        values["old_keys"] = string.Join(", ", keys.Select(k => "OLD." + k));
        values["key_changed"] = $"ROW({string.Join(", ", keys.Select(k => "OLD." + k))}) IS DISTINCT FROM ROW({string.Join(", ", keys.Select(k => "NEW." + k))})";
        values["call_new"] = TriggerCall(table, "new", values["function_new"]);
        values["call_old"] = TriggerCall(table, "old", values["function_old"]);
        return SqlTemplate.Render("postgresql/capture.sql", values);
    }

    // What a row trigger executes: the PL/pgSQL function, or the C function told the log, which row's key and the channel.
    private string TriggerCall(ReplicatedTable table, string row, string plpgsqlFunction) => captureFunction is null
        ? plpgsqlFunction + "()"
        : $"{captureFunction}({Literal(identifiers.Quote(table.LogName))}, '{row}', {Literal(notify ? NotifyChannel : "")})";

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallTable(ReplicatedTable table) =>
        SqlTemplate.Render("postgresql/uninstall_table.sql", TableSlots(table));

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallNode(string node, Vendor provider) =>
        SqlTemplate.Render("postgresql/node.sql", new Dictionary<string, string>
        {
            ["schema"] = identifiers.Quote(SchemaName),
            ["processed"] = identifiers.Quote(ProcessedTable(node)),
            ["node_literal"] = Literal(node),
            ["provider_literal"] = Literal(VendorNames.Of(provider)),
        });

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallNode(string node) =>
        SqlTemplate.Render("postgresql/uninstall_node.sql", new Dictionary<string, string>
        {
            ["schema"] = identifiers.Quote(SchemaName),
            ["processed"] = identifiers.Quote(ProcessedTable(node)),
            ["node_literal"] = Literal(node),
        });

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallBase() =>
        SqlTemplate.Render("postgresql/uninstall_base.sql", new Dictionary<string, string> { ["schema"] = identifiers.Quote(SchemaName) });

    /// <inheritdoc/>
    public string RegistryExistsQuery => $"SELECT to_regclass({Literal(identifiers.Quote(new DbObjectName(SchemaName, "tables")))}) IS NOT NULL";

    /// <inheritdoc/>
    public string RegistryCurrentQuery =>
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = " +
        $"to_regclass({Literal(identifiers.Quote(new DbObjectName(SchemaName, "nodes")))}) AND attname = 'last_cycle_at' AND NOT attisdropped)";

    /// <inheritdoc/>
    public IReadOnlyList<string> UpgradeBase() =>
        SqlTemplate.Render("postgresql/upgrade_base.sql", new Dictionary<string, string> { ["schema"] = identifiers.Quote(SchemaName) });

    /// <inheritdoc/>
    public string RegisteredTablesQuery => $"SELECT source_schema, source_table, columns FROM {identifiers.Quote(new DbObjectName(SchemaName, "tables"))}";

    /// <inheritdoc/>
    public string RegisteredNodesQuery => $"SELECT name, loaded_at IS NOT NULL FROM {identifiers.Quote(new DbObjectName(SchemaName, "nodes"))}";

    /// <inheritdoc/>
    public IReadOnlyList<string> MarkLoaded(string node) =>
        [$"UPDATE {identifiers.Quote(new DbObjectName(SchemaName, "nodes"))} SET loaded_at = now() WHERE name = {Literal(node)}"];

    /// <inheritdoc/>
    public DbObjectName ProcessedTable(string node) =>
        new(SchemaName, identifiers.Derive("processed", node.ToLowerInvariant()));

    /// <summary>A PostgreSQL string literal (standard_conforming_strings: only the quote is doubled).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    // The insert trigger's raw name: installed by capture.sql, and read back by TriggersToReinstallAsync.
    private string InsertTrigger(ReplicatedTable table) => identifiers.Derive("repl", table.BaseName, "ins");

    private Dictionary<string, string> TableSlots(ReplicatedTable table) => new()
    {
        ["schema"] = identifiers.Quote(SchemaName),
        ["table"] = identifiers.Quote(table.Source.Name),
        ["log"] = identifiers.Quote(table.LogName),
        ["function_new"] = identifiers.Quote(new DbObjectName(SchemaName, identifiers.Derive(table.BaseName, "log", "new"))),
        ["function_old"] = identifiers.Quote(new DbObjectName(SchemaName, identifiers.Derive(table.BaseName, "log", "old"))),
        ["function_truncate"] = identifiers.Quote(new DbObjectName(SchemaName, identifiers.Derive(table.BaseName, "log", "all"))),
        ["trigger_insert"] = identifiers.Quote(InsertTrigger(table)),
        ["trigger_update"] = identifiers.Quote(identifiers.Derive("repl", table.BaseName, "upd")),
        ["trigger_key_change"] = identifiers.Quote(identifiers.Derive("repl", table.BaseName, "keyupd")),
        ["trigger_delete"] = identifiers.Quote(identifiers.Derive("repl", table.BaseName, "del")),
        ["trigger_truncate"] = identifiers.Quote(identifiers.Derive("repl", table.BaseName, "trunc")),
        ["source_schema_literal"] = Literal(table.Source.Name.Schema ?? "public"),
        ["source_table_literal"] = Literal(table.Source.Name.Name),
    };
}
