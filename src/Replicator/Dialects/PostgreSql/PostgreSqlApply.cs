using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// PostgreSQL slave apply: per table a function <c>repl.apply_&lt;table&gt;()</c> (apply.sql) and a staging table
/// <c>pg_temp.repl_stage_&lt;table&gt;</c> per session (apply_stage.sql). A batch is one binary COPY into the stage and
/// one call of the function, which deletes every staged key from the table and inserts the rows still present.
/// </summary>
/// <remarks>
/// Generated names stem from the lower-cased target table name, so two targets whose names differ only in case or
/// schema share one routine name; repl replicates each master table to one slave table of the master's name.
/// </remarks>
internal sealed class PostgreSqlApply(SchemaDialect schema) : IApply
{
    /// <summary>The staging column that tells a row still on the master (insert) from a deleted key.</summary>
    public const string PresentColumn = "repl_present";

    // The dollar quote of the routine body in apply.sql; a name containing it would end the body early.
    private const string BodyQuote = "$repl$";

    private const string RoutineExistsSql = "SELECT pg_catalog.to_regprocedure(@signature) IS NOT NULL";

    private const string StageFingerprintSql = "SELECT pg_catalog.obj_description(pg_catalog.to_regclass(@stage), 'pg_class')";

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public IReadOnlyList<string> InstallRoutine(TableDefinition table, DbObjectName target)
    {
        CheckColumns(table, target);
        var names = Names(target);
        var values = new Dictionary<string, string>
        {
            ["schema"] = identifiers.Quote(PostgreSqlCapture.SchemaName),
            ["function"] = names.Function,
            ["target"] = identifiers.Quote(target),
            ["stage"] = names.Stage,
            ["key_join"] = string.Join(" AND ", table.Key.Columns.Select(identifiers.Quote).Select(k => $"t.{k} = s.{k}")),
            ["column_list"] = PostgreSqlBulkLoad.ColumnList(identifiers, table),
        };
        var bodyQuoted = values.Values.FirstOrDefault(v => v.Contains(BodyQuote, StringComparison.Ordinal));
        if (bodyQuoted is not null)
            throw new SchemaException(
                $"Table {table.Name}: the name {bodyQuoted} contains {BodyQuote}, which quotes the body of the PostgreSQL apply " +
                "routine. Rename it to replicate the table to PostgreSQL.");
        return SqlTemplate.Render("postgresql/apply.sql", values);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> UninstallRoutine(TableDefinition table, DbObjectName target) =>
        SqlTemplate.Render("postgresql/uninstall_apply.sql", new Dictionary<string, string> { ["function"] = Names(target).Function });

    /// <inheritdoc/>
    public async Task<bool> HasRoutineAsync(DbConnection connection, DbObjectName target, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RoutineExistsSql, PostgreSqlBulkLoad.Npgsql(connection, target));
        command.Parameters.Add(new NpgsqlParameter<string>("signature", NpgsqlDbType.Text) { TypedValue = Names(target).Function + "()" });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Statements that (re)create the session's staging table of <paramref name="table"/>.</summary>
    public IReadOnlyList<string> CreateStage(TableDefinition table, DbObjectName target)
    {
        var stage = Names(target).Stage;
        var columns = StageColumns(table);
        return SqlTemplate.Render("postgresql/apply_stage.sql", new Dictionary<string, string>
        {
            ["stage"] = stage,
            ["stage_columns"] = columns,
            ["fingerprint"] = PostgreSqlCapture.Literal(Fingerprint(stage, columns)),
        });
    }

    /// <inheritdoc/>
    public async Task<IChangeApplier> OpenAsync(DbConnection connection, DbTransaction transaction, TableDefinition table,
        DbObjectName target, CancellationToken cancellationToken)
    {
        CheckColumns(table, target);
        var npgsql = PostgreSqlBulkLoad.Npgsql(connection, target);
        var inTransaction = transaction as NpgsqlTransaction ?? throw new ArgumentException(
            $"Applying {target} on a PostgreSQL slave needs an Npgsql transaction, not {transaction.GetType().Name}.", nameof(transaction));
        await EnsureStageAsync(npgsql, inTransaction, table, target, cancellationToken);
        return new Applier(npgsql, inTransaction, table, target, Names(target), schema);
    }

    // One round trip when this session already holds the stage in its current shape; one more to create it.
    private async Task EnsureStageAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TableDefinition table,
        DbObjectName target, CancellationToken cancellationToken)
    {
        var names = Names(target);
        await using (var check = new NpgsqlCommand(StageFingerprintSql, connection, transaction))
        {
            check.Parameters.Add(new NpgsqlParameter<string>("stage", NpgsqlDbType.Text)
            {
                TypedValue = identifiers.Quote(new DbObjectName("pg_temp", names.StageName)),
            });
            if (await check.ExecuteScalarAsync(cancellationToken) is string found && found == Fingerprint(names.Stage, StageColumns(table)))
                return;
        }
        await using var create = new NpgsqlBatch(connection, transaction);
        foreach (var statement in CreateStage(table, target))
            create.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private RoutineNames Names(DbObjectName target)
    {
        var stem = target.Name.ToLowerInvariant();
        var stageName = identifiers.Derive("repl", "stage", stem);
        return new RoutineNames(
            identifiers.Quote(new DbObjectName(PostgreSqlCapture.SchemaName, identifiers.Derive("apply", stem))),
            stageName,
            identifiers.Quote(stageName));
    }

    private string StageColumns(TableDefinition table) =>
        string.Join(",\n", table.Columns.Select(c => $"    {identifiers.Quote(c.Name)} {schema.Types.ToDdl(c.Type)}"));

    // The stage's definition, hashed: different columns or types give a different fingerprint.
    private static string Fingerprint(string stage, string columns) =>
        "repl apply stage " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stage + "\n" + columns)))[..16];

    private static void CheckColumns(TableDefinition table, DbObjectName target)
    {
        if (table.Columns.Any(c => c.Name == PresentColumn))
            throw new SchemaException(
                $"Table {table.Name} has a column named {PresentColumn}, which repl reserves for the staging table of {target} " +
                "on PostgreSQL slaves. Rename the column to replicate the table to PostgreSQL.");
    }

    /// <summary>Quoted routine and stage names, and the raw stage name for catalog lookups.</summary>
    private sealed record RoutineNames(string Function, string StageName, string Stage);

    /// <summary>Stages each batch with binary COPY, then applies it with one call of the routine.</summary>
    private sealed class Applier : IChangeApplier
    {
        private readonly NpgsqlConnection connection;
        private readonly NpgsqlTransaction transaction;
        private readonly PostgreSqlBinaryColumns columns;
        private readonly string copy;
        private readonly string call;
        private readonly DbObjectName target;
        private readonly string function;

        public Applier(NpgsqlConnection connection, NpgsqlTransaction transaction, TableDefinition table, DbObjectName target,
            RoutineNames names, SchemaDialect schema)
        {
            this.connection = connection;
            this.transaction = transaction;
            this.target = target;
            function = names.Function;
            columns = new PostgreSqlBinaryColumns(table, schema.Values);
            copy = $"COPY pg_temp.{names.Stage} ({PostgreSqlBulkLoad.ColumnList(schema.Identifiers, table)}, {PresentColumn}) " +
                   "FROM STDIN (FORMAT BINARY)";
            call = $"SELECT {function}()";
        }

        public async Task ApplyAsync(IReadOnlyList<ChangeRow> batch, CancellationToken cancellationToken)
        {
            if (batch.Count == 0)
                return;
            await using (var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
            {
                // Zero is no timeout: a large batch must not fail on a slow flush (the cancellation token still ends it).
                writer.Timeout = TimeSpan.Zero;
                foreach (var row in batch)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await columns.WriteAsync(writer, row.Values, cancellationToken);
                    await writer.WriteAsync(row.Present, NpgsqlDbType.Boolean, cancellationToken);
                }
                await writer.CompleteAsync(cancellationToken);
            }
            await using var apply = new NpgsqlCommand(call, connection, transaction) { CommandTimeout = 0 };
            try
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedFunction)
            {
                throw new ReplException(
                    $"The apply routine {function} of table {target} is missing on this PostgreSQL slave; run repl init to install it.", e);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
