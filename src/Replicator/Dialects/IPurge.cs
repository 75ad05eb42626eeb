using System.Data.Common;

namespace Repl.Dialects;

/// <summary>
/// Master side, purging (DESIGN §7): deletes change-log rows of transactions every registered node has processed, and
/// processed rows no log refers to any more, a bounded batch per call inside the caller's short READ COMMITTED
/// transaction, without table locks, so writers (capture triggers, replay cycles) are never blocked.
/// </summary>
internal interface IPurge
{
    /// <summary>
    /// Takes the session-level purge lock of this master (one purge at a time, also across replay services; node add and
    /// remove take it too, so the node set cannot change under a purge). Returns false when another session holds it.
    /// </summary>
    Task<bool> TryLockAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Releases the purge lock taken by <see cref="TryLockAsync"/> on this session.</summary>
    Task UnlockAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> rows of <paramref name="table"/>'s log whose transaction id is in the
    /// processed table of every one of <paramref name="nodes"/> (decided per txid: a transaction still running is in no
    /// processed table, so its rows stay). Returns how many rows went; 0 when nothing is left to purge. Throws
    /// <see cref="PurgeWaitedException"/> when the batch would have to wait on a running transaction's rows.
    /// </summary>
    Task<long> PurgeLogAsync(DbConnection connection, DbTransaction transaction, ReplicatedTable table, IReadOnlyList<string> nodes,
        int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> rows of <paramref name="node"/>'s processed table whose transaction id
    /// appears in none of <paramref name="logs"/>. Returns how many rows went.
    /// </summary>
    Task<long> PurgeProcessedAsync(DbConnection connection, DbTransaction transaction, string node, IReadOnlyList<ReplicatedTable> logs,
        int batchSize, CancellationToken cancellationToken);

    /// <summary>The statements one batch of <see cref="PurgeLogAsync"/> runs, for <c>--dry-run</c>.</summary>
    IReadOnlyList<string> DescribeLog(ReplicatedTable table, IReadOnlyList<string> nodes, int batchSize);

    /// <summary>The statements one batch of <see cref="PurgeProcessedAsync"/> runs, for <c>--dry-run</c>.</summary>
    IReadOnlyList<string> DescribeProcessed(string node, IReadOnlyList<ReplicatedTable> logs, int batchSize);
}

/// <summary>
/// A purge batch gave up waiting on a row lock of a transaction still running (MariaDB: its index range scans lock the
/// record just past each range, which may be a writer's uncommitted log row). The batch is rolled back; the rows stay
/// for the next purge. Writers never wait on the purge.
/// </summary>
internal sealed class PurgeWaitedException : Exception
{
    /// <summary>Creates the exception for the log or processed table that could not be purged now.</summary>
    public PurgeWaitedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message.</summary>
    public PurgeWaitedException(string message) : base(message) { }

    /// <summary>Parameterless constructor required by convention.</summary>
    public PurgeWaitedException() { }
}
