using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.BadInput;

/// <summary>
/// A replicated table dropped on the master after init, or one of its columns dropped or retyped: with a change
/// pending, <c>repl replay --once</c> and then <c>repl init</c> each exit 2 naming the table (and the column), and
/// neither changes any database nor applies the pending change. (Drift/ proves init's messages for more kinds of
/// column drift on a PostgreSQL master; this adds replay, a MariaDB master and a dropped table.)
/// </summary>
public sealed class Tables_dropped_or_altered_on_the_master_after_init_are_refused
{
    private static readonly string[] Schema =
    [
        "CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL, amount integer)",
        "INSERT INTO things VALUES (1, 'ann', 10), (2, 'bob', NULL)",
    ];

    public static TheoryData<Vendor, string> Drifts => new()
    {
        { Vendor.PostgreSql, "table dropped" },
        { Vendor.MySql, "table dropped" },
        { Vendor.PostgreSql, "column dropped" },
        { Vendor.MySql, "column dropped" },
        { Vendor.PostgreSql, "column retyped" },
        { Vendor.MySql, "column retyped" },
    };

    private static string Alter(Vendor master, string drift) => drift switch
    {
        "table dropped" => "DROP TABLE things",
        "column dropped" => "ALTER TABLE things DROP COLUMN amount",
        _ => master == Vendor.PostgreSql ? "ALTER TABLE things ALTER COLUMN amount TYPE bigint" : "ALTER TABLE things MODIFY amount bigint",
    };

    private static IReadOnlyList<string> Expected(string drift) => drift switch
    {
        "table dropped" => ["tables:0:name: table \"things\" was not found on the master"],
        "column dropped" => ["things: column \"amount\" (int32) was dropped on the master since repl init"],
        _ => ["things: column \"amount\" changed type from int32 to int64"],
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public async Task Replay_and_init_exit_2_naming_table_and_column_and_apply_nothing(Vendor master, string drift)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("things", "log")],
            test: $"{nameof(Replay_and_init_exit_2_naming_table_and_column_and_apply_nothing)}_{master}_{drift.Replace(' ', '_')}");
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("INSERT INTO things VALUES (3, 'cy', 30)");
        await replication.ExecuteOnMasterAsync(Alter(master, drift));
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);
        var processed = await ConfigEdits.ProcessedRowsAsync(replication, "lite");

        var (replayExit, replay) = await replication.ReplAsync("replay", "--node", "lite", "--once");
        var (initExit, init) = await replication.ReplAsync("init");

        Assert.Equal(2, replayExit);
        Assert.Equal(2, initExit);
        foreach (var message in Expected(drift))
        {
            Assert.Contains(message, ConfigEdits.OneError(replay), StringComparison.Ordinal);
            Assert.Contains(message, ConfigEdits.OneError(init), StringComparison.Ordinal);
        }
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
        Assert.Equal(processed, await ConfigEdits.ProcessedRowsAsync(replication, "lite"));
        Assert.Equal(2, await ConfigEdits.SlaveRowsAsync(replication, "lite", "things"));
    }
}
