using System.Data.Common;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// The objects of one snapshot-mode table on a slave (raw names): the view readers query, and the two twin tables it
/// alternates between, <c>&lt;t&gt;_snap1</c> and <c>&lt;t&gt;_snap2</c>.
/// </summary>
internal sealed record SnapshotTwins(DbObjectName View, DbObjectName First, DbObjectName Second)
{
    /// <summary>Twin 1 or 2.</summary>
    public DbObjectName Twin(int number) => number switch
    {
        1 => First,
        2 => Second,
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "A snapshot table has twins 1 and 2."),
    };

    /// <summary>1 or 2 for the twin <paramref name="reads"/> holds for, 0 when it holds for neither.</summary>
    public static int Which(Func<DbObjectName, bool> reads, SnapshotTwins twins) =>
        reads(twins.First) ? 1 : reads(twins.Second) ? 2 : 0;
}

/// <summary>
/// Slave side of snapshot mode (DESIGN §6): naming the twins, finding which one the view reads, the lock that keeps two
/// snapshots of one table apart, and the statements (from sql/triggers/&lt;vendor&gt;/snapshot_*.sql) that empty a twin
/// and point the view at it. The view itself is the record of which twin is live: it changes atomically for readers on
/// every vendor, so no separate state can disagree with what readers see.
/// </summary>
internal interface ISnapshotFlip
{
    /// <summary>The twins and view of the slave table <paramref name="view"/>, named by the vendor's identifier rules.</summary>
    SnapshotTwins Twins(DbObjectName view);

    /// <summary>
    /// Whether pointing the view commits implicitly (DDL on MariaDB and Oracle). Then the load is committed first and the
    /// flip runs after it, alone; otherwise the load and the flip are one transaction.
    /// </summary>
    bool FlipCommits { get; }

    /// <summary>
    /// Whether emptying a twin commits implicitly (TRUNCATE is DDL on MariaDB and Oracle). Then <see cref="Clear"/> runs
    /// before the load's transaction, alone; otherwise it is the first statement of that transaction.
    /// </summary>
    bool ClearCommits { get; }

    /// <summary>
    /// Whether <see cref="Clear"/> empties the twin with TRUNCATE in the load's transaction, so that the load may use the
    /// vendor's path for a table emptied in the same transaction (<see cref="IBulkLoad.LoadTruncatedAsync"/>).
    /// </summary>
    bool ClearTruncatesInTransaction { get; }

    /// <summary>Statements that empty twin <paramref name="twin"/> (no reader uses it: the view reads the other one).</summary>
    IReadOnlyList<string> Clear(SnapshotTwins twins, int twin);

    /// <summary>Statements that point the view at twin <paramref name="twin"/>, creating the view when it is missing.</summary>
    IReadOnlyList<string> Flip(TableDefinition table, SnapshotTwins twins, int twin);

    /// <summary>
    /// Which twin the view reads: 1 or 2; 0 when it reads neither (it was changed by hand); null when there is no view.
    /// </summary>
    Task<int?> LiveTwinAsync(DbConnection connection, DbTransaction? transaction, SnapshotTwins twins, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the session-level lock of this table's snapshots on the slave, outside any transaction; false when another
    /// session holds it. The server releases it with the session, also when the process is killed.
    /// </summary>
    Task<bool> TryLockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken);

    /// <summary>Releases the lock taken by <see cref="TryLockAsync"/>.</summary>
    Task UnlockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken);
}
