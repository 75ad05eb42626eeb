using System.Data;
using System.Data.Common;
using System.Globalization;
using Repl.Schema;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Purges an Oracle master: each batch is one DELETE of at most N rows addressed by ROWID, chosen by a ROWNUM-limited
/// sub-select; row locks only, on log rows no writer touches again. The purge lock is a session-level DBMS_LOCK lock
/// named after the current schema. Generated and golden-tested; not run against a live Oracle.
/// </summary>
internal sealed class OraclePurge(SchemaDialect schema, OracleCapture capture) : IPurge
{
    /// <summary>Takes the purge lock; parameter <c>:result</c> (out) receives DBMS_LOCK.REQUEST's result.</summary>
    /// <remarks>ALLOCATE_UNIQUE commits: repl runs this block outside any transaction.</remarks>
    public const string LockSql = """
        DECLARE
            v_handle VARCHAR2(128);
        BEGIN
            DBMS_LOCK.ALLOCATE_UNIQUE(SUBSTRB('repl.purge.' || SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA'), 1, 128), v_handle);
            :result := DBMS_LOCK.REQUEST(lockhandle => v_handle, lockmode => DBMS_LOCK.X_MODE, timeout => 0, release_on_commit => FALSE);
        END;
        """;

    /// <summary>Releases the purge lock of this session.</summary>
    public const string UnlockSql = """
        DECLARE
            v_handle VARCHAR2(128);
            v_result INTEGER;
        BEGIN
            DBMS_LOCK.ALLOCATE_UNIQUE(SUBSTRB('repl.purge.' || SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA'), 1, 128), v_handle);
            v_result := DBMS_LOCK.RELEASE(v_handle);
        END;
        """;

    // DBMS_LOCK.REQUEST results: 0 granted, 4 this session already holds it; anything else means not ours.
    private const int Granted = 0;
    private const int AlreadyOwned = 4;

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public async Task<bool> TryLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = LockSql;
        var result = command.CreateParameter();
        result.ParameterName = "result";
        result.DbType = DbType.Int32;
        result.Direction = ParameterDirection.Output;
        command.Parameters.Add(result);
        await command.ExecuteNonQueryAsync(cancellationToken);
        // ODP.NET hands an output NUMBER back as an int or as an OracleDecimal, whose text is the number.
        var status = Convert.ToInt32(Convert.ToString(result.Value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return status is Granted or AlreadyOwned;
    }

    /// <inheritdoc/>
    public async Task UnlockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = UnlockSql;
        await command.ExecuteNonQueryAsync(cancellationToken);
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
    public IReadOnlyList<string> DescribeLog(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize) => [DeleteLog(table, nodes, batchSize)];

    /// <inheritdoc/>
    public IReadOnlyList<string> DescribeProcessed(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize) =>
        [DeleteProcessed(node, logs, batchSize)];

    // One EXISTS per node: a txid goes only when every node's processed table holds it.
    private string DeleteLog(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize)
    {
        var log = identifiers.Quote(table.LogName);
        var processedByAll = nodes.Select(n => $"EXISTS (SELECT 1 FROM {identifiers.Quote(capture.ProcessedTable(n))} p WHERE p.TXID = l.TXID)");
        return $"""
            DELETE FROM {log} WHERE ROWID IN (
                SELECT l.ROWID FROM {log} l
                WHERE {string.Join("\n        AND ", processedByAll.Append($"ROWNUM <= {Number(batchSize)}"))})
            """;
    }

    private string DeleteProcessed(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize)
    {
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var inNoLog = logs.Select(t => $"NOT EXISTS (SELECT 1 FROM {identifiers.Quote(t.LogName)} l WHERE l.TXID = p.TXID)");
        return $"""
            DELETE FROM {processed} WHERE ROWID IN (
                SELECT p.ROWID FROM {processed} p
                WHERE {string.Join("\n        AND ", inNoLog.Append($"ROWNUM <= {Number(batchSize)}"))})
            """;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<long> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
