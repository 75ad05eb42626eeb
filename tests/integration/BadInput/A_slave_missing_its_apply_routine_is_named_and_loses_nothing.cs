using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.BadInput;

/// <summary>
/// The apply routine of a slave table dropped by hand after init (a PostgreSQL function, a MariaDB procedure): replay
/// exits 2 naming the node, the table and the routine and saying to run repl init, applies nothing and marks nothing
/// processed; repl init then recreates the routine and the next replay applies the change that was pending.
/// </summary>
public sealed class A_slave_missing_its_apply_routine_is_named_and_loses_nothing
{
    private static readonly string[] Schema =
    [
        "CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)",
        "INSERT INTO things VALUES (1, 'ann'), (2, 'bob')",
    ];

    public static TheoryData<Vendor, string, string> Slaves => new()
    {
        { Vendor.PostgreSql, "DROP FUNCTION repl.apply_things()", "\"repl\".\"apply_things\"" },
        { Vendor.MySql, "DROP PROCEDURE repl_apply_things", "`repl_apply_things`" },
    };

    // Init, then the routine dropped by hand and two changes made on the master.
    private static async Task<Replication> RoutineDroppedWithChangesPendingAsync(Vendor slave, string drop, string test)
    {
        var replication = await Replication.CreateAsync(Vendor.PostgreSql, [slave], Schema, [("things", "log")], test: $"{test}_{slave}");
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenNodeAsync(Replication.NodeName(slave)))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = drop;
            await command.ExecuteNonQueryAsync();
        }
        await replication.ExecuteOnMasterAsync("UPDATE things SET name = 'bobby' WHERE id = 2");
        await replication.ExecuteOnMasterAsync("INSERT INTO things VALUES (3, 'cy')");
        return replication;
    }

    [Theory]
    [MemberData(nameof(Slaves))]
    public async Task Replay_exits_2_naming_node_table_and_routine_and_applies_and_marks_nothing(Vendor slave, string drop, string routine)
    {
        await using var replication = await RoutineDroppedWithChangesPendingAsync(slave, drop,
            nameof(Replay_exits_2_naming_node_table_and_routine_and_applies_and_marks_nothing));
        var node = Replication.NodeName(slave);
        var processed = await ConfigEdits.ProcessedRowsAsync(replication, node);
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("replay", "--node", node, "--once");

        Assert.Equal(2, exit);
        var error = ConfigEdits.OneError(output);
        Assert.StartsWith($"error: node {node}: The apply routine ", error, StringComparison.Ordinal);
        Assert.Contains(routine, error, StringComparison.Ordinal);
        Assert.Contains("things", error, StringComparison.Ordinal);
        Assert.Contains("run repl init", error, StringComparison.Ordinal);
        Assert.Equal(processed, await ConfigEdits.ProcessedRowsAsync(replication, node));
        Assert.Equal(2, await ConfigEdits.SlaveRowsAsync(replication, node, "things"));
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Slaves))]
    public async Task Init_recreates_the_routine_and_the_next_replay_applies_the_pending_changes(Vendor slave, string drop, string routine)
    {
        await using var replication = await RoutineDroppedWithChangesPendingAsync(slave, drop,
            nameof(Init_recreates_the_routine_and_the_next_replay_applies_the_pending_changes));
        var node = Replication.NodeName(slave);
        var (refused, _) = await replication.ReplAsync("replay", "--node", node, "--once");
        Assert.Equal(2, refused);

        var init = await replication.ReplOkAsync("init");
        await replication.ReplOkAsync("replay", "--node", node, "--once");

        Assert.Contains("missing apply routine of things", init.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(routine, (await replication.ReplAsync("replay", "--node", node, "--once")).Output.ErrorText, StringComparison.Ordinal);
        await replication.AssertSlavesEqualMasterAsync("things");
    }
}
