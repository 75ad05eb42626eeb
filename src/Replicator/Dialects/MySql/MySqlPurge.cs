using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Repl.Schema;

namespace Repl.Dialects.MySql;

/// <summary>
/// Purges a MariaDB master. A batch first reads the purgeable txids (a consistent, non-locking read), then deletes by
/// those txids through the txid index, LIMIT N: a DELETE whose WHERE scans the log would wait on the row locks of every
/// writer's uncommitted log rows (measured, also under READ COMMITTED). The logs are system-versioned, so a DELETE only
/// closes a row (its txid_end becomes the purge's transaction id) and keeps it as history; <c>DELETE HISTORY</c> then
/// removes it for good, through the txid_end index that capture.sql declares (without it, that statement scans the log
/// and waits on writers too). Even through an index, InnoDB locks the record just past each range it scans, and that
/// record can be a running transaction's uncommitted log row: a batch then waits (measured). It waits at most
/// <see cref="LockWaitSeconds"/> and gives up (<see cref="PurgeWaitedException"/>); the rows stay for the next purge.
/// Writers never wait on the purge: it locks only rows of finished transactions, and READ COMMITTED takes no gap locks.
/// mysql.transaction_registry still grows one row per writing transaction: MariaDB offers no supported way to trim it.
/// </summary>
internal sealed class MySqlPurge(SchemaDialect schema, MySqlCapture capture) : IPurge
{
    private const string LockExpression = "CONCAT('repl.purge.', LEFT(SHA2(DATABASE(), 256), 40))";

    /// <summary>How long a batch waits on a running transaction's row lock before giving up until the next purge.</summary>
    public const int LockWaitSeconds = 5;
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    /// <remarks>GET_LOCK names are server-wide: the database is hashed in, so masters in two databases never block each other.</remarks>
    public async Task<bool> TryLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, null, $"SELECT GET_LOCK({LockExpression}, 0)", cancellationToken), CultureInfo.InvariantCulture) == 1;

    /// <inheritdoc/>
    public async Task UnlockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, null, $"SELECT RELEASE_LOCK({LockExpression})", cancellationToken);

    /// <inheritdoc/>
    public async Task<long> PurgeLogAsync(DbConnection connection, DbTransaction transaction, ReplicatedTable table, IReadOnlyList<string> nodes,
        int batchSize, CancellationToken cancellationToken)
    {
        var txids = await TxidsAsync(connection, transaction, SelectPurgeableTxids(table, nodes, batchSize), cancellationToken);
        if (txids.Count == 0)
            return 0;
        try
        {
            await ExecuteAsync(connection, transaction, LockWait, cancellationToken);
            var deleted = await ExecuteAsync(connection, transaction, DeleteLog(table, List(txids), batchSize), cancellationToken);
            await ExecuteAsync(connection, transaction, DeleteHistory(table), cancellationToken);
            return deleted;
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.LockWaitTimeout)
        {
            throw new PurgeWaitedException($"{table.LogName}: a running transaction holds a lock the purge needs", e);
        }
    }

    /// <inheritdoc/>
    public async Task<long> PurgeProcessedAsync(DbConnection connection, DbTransaction transaction, string node, IReadOnlyList<ReplicatedTable> logs,
        int batchSize, CancellationToken cancellationToken)
    {
        var txids = await TxidsAsync(connection, transaction, SelectUnreferencedTxids(node, logs, batchSize), cancellationToken);
        if (txids.Count == 0)
            return 0;
        try
        {
            await ExecuteAsync(connection, transaction, LockWait, cancellationToken);
            return await ExecuteAsync(connection, transaction, DeleteProcessed(node, List(txids)), cancellationToken);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.LockWaitTimeout)
        {
            throw new PurgeWaitedException($"{capture.ProcessedTable(node)}: a running replay holds a lock the purge needs", e);
        }
    }

    // Session-wide, but the pool resets the session before it hands the connection out again.
    private static string LockWait => $"SET SESSION innodb_lock_wait_timeout = {Number(LockWaitSeconds)}";

    /// <inheritdoc/>
    public IReadOnlyList<string> DescribeLog(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize) =>
        [SelectPurgeableTxids(table, nodes, batchSize), DeleteLog(table, "<txids read above>", batchSize), DeleteHistory(table)];

    /// <inheritdoc/>
    public IReadOnlyList<string> DescribeProcessed(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize) =>
        [SelectUnreferencedTxids(node, logs, batchSize), DeleteProcessed(node, "<txids read above>")];

    // One EXISTS per node: a txid goes only when every node's processed table holds it.
    private string SelectPurgeableTxids(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize)
    {
        var processedByAll = nodes.Count == 0
            ? "TRUE"
            : string.Join("\n  AND ", nodes.Select(n => $"EXISTS (SELECT 1 FROM {identifiers.Quote(capture.ProcessedTable(n))} p WHERE p.txid = l.txid)"));
        return $"SELECT DISTINCT l.txid FROM {identifiers.Quote(table.LogName)} l\nWHERE {processedByAll}\nLIMIT {Number(batchSize)}";
    }

    private string DeleteLog(ReplicatedTable table, string txids, int batchSize) =>
        $"DELETE FROM {identifiers.Quote(table.LogName)} WHERE txid IN ({txids}) LIMIT {Number(batchSize)}";

    private string DeleteHistory(ReplicatedTable table) => $"DELETE HISTORY FROM {identifiers.Quote(table.LogName)}";

    private string SelectUnreferencedTxids(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize)
    {
        var inNoLog = logs.Count == 0
            ? "TRUE"
            : string.Join("\n  AND ", logs.Select(t => $"NOT EXISTS (SELECT 1 FROM {identifiers.Quote(t.LogName)} l WHERE l.txid = p.txid)"));
        return $"SELECT p.txid FROM {identifiers.Quote(capture.ProcessedTable(node))} p\nWHERE {inNoLog}\nLIMIT {Number(batchSize)}";
    }

    private string DeleteProcessed(string node, string txids) =>
        $"DELETE FROM {identifiers.Quote(capture.ProcessedTable(node))} WHERE txid IN ({txids})";

    private static string List(IReadOnlyList<ulong> txids) => string.Join(", ", txids.Select(t => t.ToString(CultureInfo.InvariantCulture)));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<ulong>> TxidsAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var txids = new List<ulong>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            txids.Add(reader.GetFieldValue<ulong>(0));
        return txids;
    }

    private static async Task<long> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
