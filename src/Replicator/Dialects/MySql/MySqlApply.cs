using System.Data.Common;
using MySqlConnector;
using Repl.Schema;
using Repl.Schema.MySql;
using Repl.Templates;

namespace Repl.Dialects.MySql;

/// <summary>
/// MariaDB slave side of replay: the procedure <c>repl_apply_&lt;table&gt;</c> in the slave table's database, and per session
/// a temporary staging table <c>repl_stage_&lt;table&gt;</c>. Each batch is bulk-loaded into the stage (MySqlBulkCopy) and
/// applied by one CALL: three round trips per batch (MySqlBulkCopy reads the stage's columns, loads, then the CALL), however
/// many rows it holds. The procedure deletes the gone keys and the rows whose unique values staged rows take, then inserts
/// the staged rows, writing over kept keys in place (INSERT ... ON DUPLICATE KEY UPDATE). Rendered from
/// sql/triggers/mysql/apply.sql and apply_stage.sql.
/// </summary>
internal sealed class MySqlApply(SchemaDialect schema) : IApply
{
    private const string RoutineExistsSql = """
        SELECT COUNT(*) FROM information_schema.ROUTINES
         WHERE ROUTINE_SCHEMA = COALESCE(@schema, DATABASE()) AND ROUTINE_NAME = @name AND ROUTINE_TYPE = 'PROCEDURE'
        """;

    private const string PresentColumn = "repl_present";

    // The stage's repl_present flag takes one byte of the row and may add one to its null bitmap.
    private const int PresentRowBytes = 2;

    // Aria without transactions, not InnoDB: every batch empties the stage, and in InnoDB the deleted rows stay in the table
    // as delete-marked records until the slave transaction ends, so the k-th batch of a cycle scanned k batches' worth of
    // dead rows in each of the procedure's statements (85 batches of 10,000 rows: 38 s with InnoDB, 15 s with Aria, every
    // statement but the stage load growing with k). An Aria DELETE without WHERE empties the table at once. Nothing is lost
    // by the stage not rolling back: every use empties it first. DYNAMIC rows take what InnoDB takes (65,535 bytes
    // besides BLOB and TEXT); the collation is the slave table's, so staged keys compare as the table's own keys do.
    private const string StageTableOptions = "ENGINE=Aria TRANSACTIONAL=0 ROW_FORMAT=DYNAMIC " + MySqlDdl.CharsetOptions;

    private static readonly CanonicalType PresentType = new(CanonicalKind.Boolean);

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallRoutine(TableDefinition table, DbObjectName target)
    {
        ArgumentNullException.ThrowIfNull(table);
        var quotedTarget = identifiers.Quote(target);
        var stage = identifiers.Quote(Stage(target));
        return SqlTemplate.Render("mysql/apply.sql", new Dictionary<string, string>
        {
            ["procedure"] = identifiers.Quote(Procedure(target)),
            ["target"] = quotedTarget,
            ["stage"] = stage,
            ["key_join"] = Join(table.Key.Columns),
            ["unique_deletes"] = string.Join("\n", UniqueKeys(table).Select(u =>
                $"    DELETE t FROM {stage} s STRAIGHT_JOIN {quotedTarget} t ON {Join(u)} WHERE s.repl_present AND NOT ({Join(table.Key.Columns)});")),
            ["update_list"] = UpdateList(table),
            ["column_list"] = string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name))),
        });
    }

    // ON DUPLICATE KEY UPDATE needs one assignment at least: a table of key columns only sets its first key to itself.
    private string UpdateList(TableDefinition table)
    {
        var columns = table.Columns.Where(c => !table.Key.Columns.Contains(c.Name)).Select(c => identifiers.Quote(c.Name)).ToList();
        if (columns.Count == 0)
            columns.Add(identifiers.Quote(table.Key.Columns[0]));
        return string.Join(",\n            ", columns.Select(c => $"{c} = VALUES({c})"));
    }

    /// <inheritdoc/>
    /// <remarks>The stage is a temporary table: it goes with the session that created it.</remarks>
    public IReadOnlyList<string> UninstallRoutine(TableDefinition table, DbObjectName target) =>
        SqlTemplate.Render("mysql/uninstall_apply.sql", new Dictionary<string, string>
        {
            ["procedure"] = identifiers.Quote(Procedure(target)),
        });

    /// <inheritdoc/>
    public async Task<bool> HasRoutineAsync(DbConnection connection, DbObjectName target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var procedure = Procedure(target);
        await using var command = connection.CreateCommand();
        command.CommandText = RoutineExistsSql;
        command.Parameters.Add(new MySqlParameter("schema", (object?)procedure.Schema ?? DBNull.Value));
        command.Parameters.Add(new MySqlParameter("name", procedure.Name));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <inheritdoc/>
    public async Task<IChangeApplier> OpenAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        await using (var command = connection.CreateCommand())
        {
            // CREATE TEMPORARY TABLE and DELETE commit nothing, so both run inside the cycle's slave transaction, in one round trip.
            command.Transaction = transaction;
            command.CommandText = string.Join(";\n", StageStatements(table, target));
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var columns = table.Columns.Select(c => (c.Name, c.Type)).Append((PresentColumn, PresentType)).ToList();
        return new Applier(connection, transaction, schema, table, target, Stage(target), columns, identifiers.Quote(Procedure(target)));
    }

    /// <summary>The statements that create the session's stage for <paramref name="target"/> (if needed) and empty it.</summary>
    public IReadOnlyList<string> StageStatements(TableDefinition table, DbObjectName target)
    {
        ArgumentNullException.ThrowIfNull(table);
        var types = MySqlDdl.SlaveTypes(table, PresentRowBytes);
        return SqlTemplate.Render("mysql/apply_stage.sql", new Dictionary<string, string>
        {
            ["stage"] = identifiers.Quote(Stage(target)),
            ["stage_columns"] = string.Join(",\n", table.Columns.Select(c =>
                $"    {identifiers.Quote(c.Name)} {schema.Types.ToDdl(types[c.Name])} NULL")),
            ["table_options"] = StageTableOptions,
        });
    }

    /// <summary>Raw name of the apply procedure of <paramref name="target"/>, in its database.</summary>
    public DbObjectName Procedure(DbObjectName target) => Generated(target, "apply");

    /// <summary>Raw name of the session's staging table of <paramref name="target"/>, in its database.</summary>
    public DbObjectName Stage(DbObjectName target) => Generated(target, "stage");

    /// <summary>The column sets of the table's unique keys other than the replication key, each once.</summary>
    private static IEnumerable<IReadOnlyList<string>> UniqueKeys(TableDefinition table) =>
        table.UniqueConstraints.Select(u => u.Columns)
            .Concat(table.Indexes.Where(i => i.IsUnique).Select(i => i.Columns))
            .Prepend(table.Key.Columns)
            .DistinctBy(columns => string.Join('\0', columns.Order(StringComparer.Ordinal)), StringComparer.Ordinal)
            .Skip(1);

    private string Join(IEnumerable<string> columns) =>
        string.Join(" AND ", columns.Select(identifiers.Quote).Select(c => $"t.{c} = s.{c}"));

    // The procedure and the stage are qualified like the target: unqualified names inside a procedure resolve in the
    // procedure's database, the session's temporary table in the session's current database.
    private DbObjectName Generated(DbObjectName target, string kind)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new DbObjectName(target.Schema, identifiers.Derive("repl", kind, target.Name.ToLowerInvariant()));
    }

    private sealed class Applier(DbConnection connection, DbTransaction transaction, SchemaDialect schema, TableDefinition table,
        DbObjectName target, DbObjectName stage, IReadOnlyList<(string Name, CanonicalType Type)> columns, string procedure) : IChangeApplier
    {
        // Errors about one row's values: a CHECK (MariaDB 4025, MySQL 3819), NOT NULL (1048), too long (1406), out of range
        // (1264, 1690), a wrong value (1366), a foreign key (1216, 1452) or a unique key (1062) the master's table does not have.
        private static readonly HashSet<int> RowErrors = [4025, 3819, 1048, 1406, 1264, 1690, 1366, 1216, 1452, 1062];

        private const string Savepoint = "repl_probe";

        public async Task ApplyAsync(IReadOnlyList<ChangeRow> batch, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(batch);
            if (batch.Count == 0)
                return;
            try
            {
                await StageAndCallAsync(batch, cancellationToken);
            }
            catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.StoredProcedureDoesNotExist)
            {
                throw new ReplException(
                    $"The apply routine {procedure} of table {target} is missing on this MariaDB slave; run repl init to install it.", e);
            }
            catch (MySqlException e) when (RowErrors.Contains(e.Number))
            {
                // MariaDB names the constraint, not the row; find the row by applying halves of the batch, each undone.
                var refused = await FindRefusedRowAsync(batch, cancellationToken);
                throw new ReplException(
                    (refused is { } row ? $"The row {RowKey.Describe(table, row.Values)}" : $"A row of the {batch.Count} in one batch") +
                    $" of table {target} could not be applied on this MariaDB slave: {e.Message}. The slave table has a constraint " +
                    "the master's does not (was it altered by hand?); drop it, or run repl resync for the table.", e);
            }
        }

        private async Task StageAndCallAsync(IReadOnlyList<ChangeRow> rows, CancellationToken cancellationToken)
        {
            // Converted before the load starts: a value the codec refuses then fails the batch without breaking the connection.
            var staged = rows.Select(r => MySqlRowCopy.ToProviderRow([.. r.Values, r.Present], columns, schema.Values, table.Name)).ToList();
            await MySqlRowCopy.CopyAsync(connection, transaction, schema.Identifiers, table.Name, stage, columns, staged.ToAsyncEnumerable(), cancellationToken);
            await ExecuteAsync($"CALL {procedure}()", cancellationToken);
        }

        // Only on the failure path, whose slave transaction is rolled back anyway: InnoDB undid just the failing statement,
        // so the session can still probe. Each probe runs after a savepoint and is rolled back to it; about 2 log2(n) probes.
        private async Task<ChangeRow?> FindRefusedRowAsync(IReadOnlyList<ChangeRow> batch, CancellationToken cancellationToken)
        {
            try
            {
                await ExecuteAsync($"DELETE FROM {schema.Identifiers.Quote(stage)}", cancellationToken);
                await ExecuteAsync($"SAVEPOINT {Savepoint}", cancellationToken);
                var candidates = batch;
                while (candidates.Count > 1)
                {
                    var first = candidates.Take(candidates.Count / 2).ToList();
                    var second = candidates.Skip(first.Count).ToList();
                    if (!await AppliesAsync(first, cancellationToken))
                        candidates = first;
                    else if (!await AppliesAsync(second, cancellationToken))
                        candidates = second;
                    else
                        return null; // refused only together: no single row to name
                }
                return await AppliesAsync(candidates, cancellationToken) ? null : candidates[0];
            }
            catch (MySqlException)
            {
                return null; // the probe itself failed (the session broke); the original error is reported as it is
            }
        }

        private async Task<bool> AppliesAsync(IReadOnlyList<ChangeRow> rows, CancellationToken cancellationToken)
        {
            try
            {
                await StageAndCallAsync(rows, cancellationToken);
                return true;
            }
            catch (MySqlException e) when (RowErrors.Contains(e.Number))
            {
                return false;
            }
            finally
            {
                await ExecuteAsync($"ROLLBACK TO SAVEPOINT {Savepoint}", cancellationToken);
                await ExecuteAsync($"DELETE FROM {schema.Identifiers.Quote(stage)}", cancellationToken);
            }
        }

        private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
