using System.Data.Common;

namespace Repl.Dialects;

/// <summary>
/// Master side, reading: the consistent snapshot, the node lock, and the queries of the replay cycle (DESIGN §5)
/// and of the initial load (DESIGN §7).
/// </summary>
internal interface IMasterReader
{
    /// <summary>
    /// Begins ONE transaction whose reads all see one consistent snapshot (PostgreSQL REPEATABLE READ,
    /// MariaDB START TRANSACTION WITH CONSISTENT SNAPSHOT, Oracle SERIALIZABLE).
    /// </summary>
    Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the session-level lock that lets only one replay run per node (PostgreSQL advisory lock, MariaDB GET_LOCK,
    /// Oracle DBMS_LOCK); it is released with the connection, even after SIGKILL. Returns false when another holds it.
    /// </summary>
    Task<bool> TryLockNodeAsync(DbConnection connection, string node, CancellationToken cancellationToken);

    /// <summary>
    /// Query returning, for every distinct key logged by a transaction <paramref name="node"/> has not processed,
    /// the key columns (in key order), a boolean 'present' (false: the row is gone from the master), then every column
    /// of the table in table order (NULL when not present). No parameters.
    /// </summary>
    string SelectChanges(ReplicatedTable table, string node);

    /// <summary>
    /// Inserts into the node's processed table every transaction id in the logs of <paramref name="tables"/> that the
    /// node has not processed, as seen by the snapshot of <paramref name="transaction"/>. Run in the same snapshot as
    /// <see cref="SelectChanges"/>, it records exactly the transactions whose changes were read. Returns how many.
    /// (MariaDB must not use INSERT ... SELECT here: in REPEATABLE READ its SELECT is a locking read of the LATEST
    /// rows, not the snapshot, and would mark transactions whose changes were never read.)
    /// </summary>
    Task<long> RecordProcessedAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ReplicatedTable> tables,
        string node, CancellationToken cancellationToken);

    /// <summary>
    /// Query: one row per table of <paramref name="tables"/> whose log holds a transaction <paramref name="node"/> has not
    /// processed, holding the table's index in <paramref name="tables"/>. One round trip however many tables: an idle
    /// cycle asks this and stops, a busy one reads only the tables it names.
    /// </summary>
    string PendingTablesQuery(IReadOnlyList<ReplicatedTable> tables, string node);

    /// <summary>
    /// Statement recording, in the node registry, that a cycle of <paramref name="node"/> commits now (master clock). Run in
    /// the cycle's master transaction, so it is recorded exactly when the cycle's processed txids are.
    /// </summary>
    string RecordCycleSql(string node);

    /// <summary>
    /// Query for status over the logs of <paramref name="tables"/> (at least one), one round trip however many tables:
    /// for every table with pending work, a row <c>table index, pending transactions, pending log rows, seconds since
    /// the oldest pending change was logged (master clock)</c>. Pending: the txid is not in <paramref name="node"/>'s
    /// processed table. Each branch aggregates its own log, which keeps the statement cheap to plan for a thousand logs.
    /// </summary>
    string PendingQuery(IReadOnlyList<ReplicatedTable> tables, string node);

    /// <summary>
    /// Query for status: one row, one column, the number of distinct transactions <paramref name="node"/> has not processed
    /// in the logs of <paramref name="tables"/> (at least one); a transaction that changed several tables counts once.
    /// </summary>
    string PendingTransactionsQuery(IReadOnlyList<ReplicatedTable> tables, string node);

    /// <summary>
    /// Query for status: <c>name, loaded (true or 1), last_cycle_at (UTC, NULL before the first cycle), seconds since
    /// then (master clock)</c> for every registered node.
    /// </summary>
    string NodesQuery { get; }

    /// <summary>
    /// Starts listening for the capture triggers' change signal on <paramref name="dedicatedConnection"/> (which the signal
    /// then owns), or returns null when this vendor has no such signal.
    /// </summary>
    Task<IChangeSignal?> ListenAsync(DbConnection dedicatedConnection, CancellationToken cancellationToken);

    /// <summary>Query returning every row of the table, columns in table order (initial load and snapshots).</summary>
    string SelectAll(ReplicatedTable table);
}
