using System.Globalization;

namespace Repl.IntegrationTests.Properties;

/// <summary>
/// Stored histories replayed by <see cref="Stored_histories_keep_every_slave_equal_to_the_master"/>: hand-written
/// nasty cases, and every shrunk history the property ever failed on (paste the C# from its failure message here,
/// under a name saying what it breaks).
/// </summary>
internal static class Regressions
{
    /// <summary>Every stored history by name.</summary>
    public static IReadOnlyDictionary<string, History> All { get; } = new Dictionary<string, History>(StringComparer.Ordinal)
    {
        // a -> b -> c in one transaction, then back to the first key (a key that was deleted on the slaves) and a chain on
        // the composite key; a cycle runs between the two transactions.
        ["pk_change_chain"] = new History([
            new Begin(0),
            new Run(0, new ChangeItemId(1, 101)),
            new Run(0, new ChangeItemId(101, 102)),
            new Run(0, new ChangeItemId(102, 103)),
            new Run(0, new ChangePairKey("a", 1, 104)),
            new Run(0, new ChangePairKey("a", 104, 105)),
            new Commit(0),
            new Replay(),
            new Begin(1),
            new Run(1, new ChangeItemId(103, 1)),
            new Run(1, new ChangeItemId(2, 106)),
            new Run(1, new ChangeItemId(106, 107)),
            new Commit(1),
        ]),

        // 600 new rows commit in one cycle, then one transaction swaps UNIQUE codes between rows far apart in key order
        // (so they fall in different apply batches), rotates three codes, and changes the other tables too.
        ["unique_swap_across_batches"] = new History([
            new Begin(0),
            .. Enumerable.Range(1000, 600).Select(id => new Run(0, new InsertItem(id, "b" + id.ToString(CultureInfo.InvariantCulture), null))),
            new Commit(0),
            new Replay(),
            new Begin(1),
            new Run(1, new UpdateItem(1599, "last")),
            new Run(1, new SwapItemCodes(1000, "b1000", 1599, "b1599", "t1")),
            new Run(1, new SwapItemCodes(1, "c1", 1300, "b1300", "t2")),
            new Run(1, new SwapItemCodes(1300, "c1", 2, "c2", "t3")),
            new Run(1, new InsertPair("b", 7, "0000", "swap")),
            new Run(1, new UpdateLine(1, 1300, null)),
            new Commit(1),
        ]),

        // Delete and re-insert of one key with a different UNIQUE value, which another row held until this transaction
        // deleted it (MariaDB slaves: ON DUPLICATE KEY UPDATE would hit the wrong row); a concurrent session's long
        // transaction is open across a cycle meanwhile.
        ["delete_reinsert_with_freed_unique_value"] = new History([
            new Begin(2),
            new Run(2, new UpdateItem(4, "long")),
            new Begin(0),
            new Run(0, new DeleteItem(2)),
            new Run(0, new ReinsertItem(1, "c2", "now c2")),
            new Run(0, new ReinsertItem(3, "r3", null)),
            new Run(0, new ReinsertItem(3, "c3", "back")),
            new Commit(0),
            new Replay(),
            new Run(2, new ReinsertItem(4, "c1", "took c1")),
            new Commit(2),
            new Begin(1),
            new Run(1, new DeletePair("日本", 2)),
            new Run(1, new InsertPair("日本", 2, null, "re-inserted")),
            new Rollback(1),
        ]),
    };
}
