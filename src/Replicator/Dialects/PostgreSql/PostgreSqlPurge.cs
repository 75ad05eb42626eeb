using System.Data.Common;
using System.Globalization;
using Npgsql;
using Repl.Schema;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// Purges a PostgreSQL master: each batch is one DELETE of at most N rows addressed by ctid, chosen by a LIMITed
/// sub-select. Row locks only, on rows no writer touches again (log rows are only ever inserted), so capture triggers
/// and replay cycles never wait. Dead rows are left to autovacuum, tuned per log table at creation (capture.sql).
/// </summary>
internal sealed class PostgreSqlPurge(SchemaDialect schema, PostgreSqlCapture capture) : IPurge
{
    private const string LockKey = "hashtextextended('repl.purge', 0)";
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public async Task<bool> TryLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Advisory locks are per database, so two masters in two databases of one server never block each other.
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", (NpgsqlConnection)connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc/>
    public async Task UnlockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", (NpgsqlConnection)connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> PurgeLogAsync(DbConnection connection, DbTransaction transaction, ReplicatedTable table, IReadOnlyList<string> nodes,
        int batchSize, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, DeleteLog(table, nodes, batchSize), cancellationToken);

    /// <inheritdoc/>
    public Task<long> PurgeProcessedAsync(DbConnection connection, DbTransaction transaction, string node, IReadOnlyList<ReplicatedTable> logs,
        int batchSize, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, DeleteProcessed(node, logs, batchSize), cancellationToken);

    /// <inheritdoc/>
    public IReadOnlyList<string> DescribeLog(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize) =>
        [DeleteLog(table, nodes, batchSize)];

    /// <inheritdoc/>
    public IReadOnlyList<string> DescribeProcessed(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize) =>
        [DeleteProcessed(node, logs, batchSize)];

    // One EXISTS per node: a txid goes only when every node's processed table holds it.
    private string DeleteLog(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize)
    {
        var log = identifiers.Quote(table.LogName);
        var processedByAll = nodes.Count == 0
            ? "TRUE"
            : string.Join("\n        AND ", nodes.Select(n => $"EXISTS (SELECT 1 FROM {identifiers.Quote(capture.ProcessedTable(n))} p WHERE p.txid = l.txid)"));
        return $"""
            DELETE FROM {log} WHERE ctid = ANY (ARRAY(
                SELECT l.ctid FROM {log} l
                WHERE {processedByAll}
                LIMIT {batchSize.ToString(CultureInfo.InvariantCulture)}))
            """;
    }

    private string DeleteProcessed(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize)
    {
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var inNoLog = logs.Count == 0
            ? "TRUE"
            : string.Join("\n        AND ", logs.Select(t => $"NOT EXISTS (SELECT 1 FROM {identifiers.Quote(t.LogName)} l WHERE l.txid = p.txid)"));
        return $"""
            DELETE FROM {processed} WHERE ctid = ANY (ARRAY(
                SELECT p.ctid FROM {processed} p
                WHERE {inNoLog}
                LIMIT {batchSize.ToString(CultureInfo.InvariantCulture)}))
            """;
    }

    private static async Task<long> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
