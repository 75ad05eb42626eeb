using System.Data.Common;
using System.Globalization;
using Repl.Schema;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Oracle slave apply: per table a procedure <c>REPL_APPLY_&lt;TABLE&gt;</c> (apply.sql) and a global temporary table
/// <c>REPL_STAGE_&lt;TABLE&gt;</c> (apply_stage.sql), both created at install because Oracle temporary tables are
/// permanent objects. A batch is one or a few array-bound INSERTs into the stage and one call of the procedure, which
/// deletes every staged key from the table and inserts the rows still present on the master.
/// Generated and golden-tested; not run against a live Oracle.
/// </summary>
/// <remarks>
/// Generated names stem from the upper-cased target table name, so two targets whose names differ only in case share
/// one routine name; repl replicates each master table to one slave table of the master's name.
/// </remarks>
internal sealed class OracleApply(SchemaDialect schema) : IApply
{
    /// <summary>The staging column that tells a row still on the master (1: insert) from a deleted key (0).</summary>
    public const string PresentColumn = "REPL_PRESENT";

    // Mirrors OracleTypeMap: the longest indexable spellings that stand in for a LOB key column, and the default precision.
    private const string LobKeyText = "VARCHAR2(4000 CHAR)";
    private const string LobKeyBinary = "RAW(2000)";
    private const int DefaultFractionDigits = 6;

    private static readonly CanonicalType PresentType = new(CanonicalKind.Boolean);

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallRoutine(TableDefinition table, DbObjectName target)
    {
        CheckColumns(table, target);
        var names = Names(target);
        var key = table.Key.Columns.ToHashSet(StringComparer.Ordinal);
        var stage = OracleCapture.Render("oracle/apply_stage.sql", new Dictionary<string, string>
        {
            ["stage"] = names.Stage,
            ["stage_columns"] = string.Join(",\n", table.Columns.Select(c =>
                $"    {identifiers.Quote(c.Name)} {(key.Contains(c.Name) ? KeyDdl(c.Type) : schema.Types.ToDdl(c.Type))}")),
        });
        var columns = string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name)));
        var routine = OracleCapture.Render("oracle/apply.sql", new Dictionary<string, string>
        {
            ["procedure"] = names.Procedure,
            ["target"] = identifiers.Quote(target),
            ["stage"] = names.Stage,
            ["key_join"] = string.Join(" AND ", table.Key.Columns.Select(identifiers.Quote).Select(k => $"s.{k} = t.{k}")),
            ["column_list"] = columns,
        });
        return [.. stage, .. routine];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallRoutine(TableDefinition table, DbObjectName target)
    {
        var names = Names(target);
        return OracleCapture.Render("oracle/uninstall_apply.sql", new Dictionary<string, string>
        {
            ["procedure"] = names.Procedure,
            ["stage"] = names.Stage,
        });
    }

    /// <inheritdoc/>
    public Task<IChangeApplier> OpenAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        CancellationToken cancellationToken)
    {
        CheckColumns(table, target);
        return Task.FromResult<IChangeApplier>(new Applier(connection, transaction, table, target, this, schema.Values));
    }

    /// <summary>The array-bound INSERT that stages a batch: every column of the table, then <see cref="PresentColumn"/>.</summary>
    public string StageInsertSql(TableDefinition table, DbObjectName target) =>
        OracleArrayBind.InsertSql(identifiers, Names(target).StageName, [.. table.Columns.Select(c => c.Name), PresentColumn]);

    /// <summary>The PL/SQL block that applies the staged batch (a block sent through ADO.NET keeps its final <c>END;</c>).</summary>
    public string CallSql(DbObjectName target) => $"BEGIN\n    {Names(target).Procedure};\nEND;";

    // The type a key column has in the slave table (OracleTypeMap.ToKeyDdl, internal to Repl.Schema): Oracle cannot key a
    // LOB, nor a TIMESTAMP WITH TIME ZONE, which is held as a TIMESTAMP in UTC. The stage uses the same type, so the
    // apply routine compares a key with a key of the same type (a TIMESTAMP compared with a TIMESTAMP WITH TIME ZONE
    // would be shifted by the session time zone).
    private string KeyDdl(CanonicalType type) => type.Kind == CanonicalKind.TimestampTz
        ? string.Create(CultureInfo.InvariantCulture, $"TIMESTAMP({type.Precision ?? DefaultFractionDigits})")
        : schema.Types.ToDdl(type) switch
        {
            "CLOB" => LobKeyText,
            "BLOB" => LobKeyBinary,
            var ddl => ddl,
        };

    private RoutineNames Names(DbObjectName target)
    {
        var stem = target.Name.ToUpperInvariant();
        var stage = new DbObjectName(target.Schema, OracleCapture.Name(identifiers, "REPL", "STAGE", stem));
        return new RoutineNames(
            identifiers.Quote(new DbObjectName(target.Schema, OracleCapture.Name(identifiers, "REPL", "APPLY", stem))),
            stage,
            identifiers.Quote(stage));
    }

    private static void CheckColumns(TableDefinition table, DbObjectName target)
    {
        if (table.Columns.Any(c => c.Name == PresentColumn))
            throw new SchemaException(
                $"Table {table.Name} has a column named {PresentColumn}, which repl reserves for the staging table of {target} " +
                "on Oracle slaves. Rename the column to replicate the table to Oracle.");
    }

    /// <summary>Quoted procedure and stage names, and the raw stage name for the array-bound INSERT.</summary>
    private sealed record RoutineNames(string Procedure, DbObjectName StageName, string Stage);

    /// <summary>
    /// Stages each batch with array-bound INSERTs, then applies it with one call of the procedure.
    /// Generated and golden-tested; not run against a live Oracle.
    /// </summary>
    private sealed class Applier : IChangeApplier
    {
        private readonly DbConnection connection;
        private readonly DbTransaction transaction;
        private readonly DbObjectName target;
        private readonly IValueCodec values;
        private readonly IReadOnlyList<CanonicalType> types;
        private readonly string insert;
        private readonly string call;

        public Applier(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target, OracleApply apply,
            IValueCodec values)
        {
            this.connection = connection;
            this.transaction = transaction;
            this.target = target;
            this.values = values;
            types = [.. table.Columns.Select(c => c.Type), PresentType];
            insert = apply.StageInsertSql(table, target);
            call = apply.CallSql(target);
        }

        public async Task ApplyAsync(IReadOnlyList<ChangeRow> batch, CancellationToken cancellationToken)
        {
            if (batch.Count == 0)
                return;
            try
            {
                foreach (var chunk in batch.Chunk(OracleArrayBind.MaxRows))
                    await OracleArrayBind.ExecuteAsync(connection, transaction, insert, types,
                        chunk.Select(row => (object?[])[.. row.Values, row.Present]).ToList(), values, cancellationToken);

                await using var apply = connection.CreateCommand();
                apply.Transaction = transaction;
                apply.CommandText = call;
                apply.CommandTimeout = 0;
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }
            // ORA-00942: no stage; PLS-00201: no procedure.
            catch (DbException e) when (e.Message.Contains("ORA-00942", StringComparison.Ordinal) || e.Message.Contains("PLS-00201", StringComparison.Ordinal))
            {
                throw new ReplException(
                    $"The staging table or apply routine of table {target} is missing on this Oracle slave; run repl init to install them.", e);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
