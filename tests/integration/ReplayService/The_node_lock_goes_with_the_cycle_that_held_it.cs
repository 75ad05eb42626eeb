using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// The node lock is a session lock on the master (PostgreSQL advisory lock, MariaDB GET_LOCK): it must end with the
/// replay that took it. A connection pool keeps the session alive after the connection is closed, so a pooled lock
/// connection would leave the lock behind, and the next cycle of the same process would be told another replay runs.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class The_node_lock_goes_with_the_cycle_that_held_it
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Back_to_back_once_cycles_in_one_process_all_get_the_lock(Vendor master)
    {
        var engine = master == Vendor.MySql ? " ENGINE=InnoDB" : "";
        await using var replication = await Replication.CreateAsync(master, [master],
            [$"CREATE TABLE items (id integer PRIMARY KEY, label varchar(20)){engine}"], [("items", "log")],
            test: $"{nameof(Back_to_back_once_cycles_in_one_process_all_get_the_lock)}_{master}");
        var node = replication.Nodes[0].Name;
        await replication.ReplOkAsync("init");

        for (var cycle = 0; cycle < 20; cycle++)
        {
            await replication.ExecuteOnMasterAsync($"INSERT INTO items VALUES ({cycle}, 'cycle')");
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        }
        await replication.AssertSlavesEqualMasterAsync("items");
    }

    [Fact]
    public async Task A_service_whose_cycles_failed_on_the_slave_recovers_without_meeting_its_own_lock()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql],
            ["CREATE TABLE items (id integer PRIMARY KEY, label text)"], [("items", "log")]);
        await replication.ReplOkAsync("init");
        await using var service = ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", "pg");
        await service.WaitForLineAsync("replay started", TimeSpan.FromSeconds(60));

        // The slave refuses the next row: cycles fail on the slave while the master connection stays healthy.
        await ExecuteOnSlaveAsync(replication, "ALTER TABLE items ADD CONSTRAINT refuse_two CHECK (id <> 2) NOT VALID");
        await replication.ExecuteOnMasterAsync("INSERT INTO items VALUES (2, 'refused for a while')");
        await service.WaitForLineAsync("node pg: cycle failed", TimeSpan.FromSeconds(60), occurrence: 2);
        Assert.Contains("refuse_two", service.Output, StringComparison.Ordinal);
        await ExecuteOnSlaveAsync(replication, "ALTER TABLE items DROP CONSTRAINT refuse_two");

        await service.WaitForLineAsync("node pg: recovered after", TimeSpan.FromSeconds(60));
        await replication.AssertSlavesEqualMasterAsync("items");
        Assert.True(service.LineCount("holds this node's lock") == 0, $"the service met its own lock:\n{service.Output}");
        await service.TerminateAsync();
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Init_leaves_no_node_lock_behind_in_the_process_that_ran_it()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql],
            ["CREATE TABLE items (id integer PRIMARY KEY, label text)"], [("items", "log")]);
        await replication.ReplOkAsync("init");

        await using var once = ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", "pg", "--once");
        Assert.True(await once.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, $"replay --once after an in-process init failed:\n{once.Output}");
    }

    private static async Task ExecuteOnSlaveAsync(Replication replication, string sql)
    {
        await using var slave = await replication.OpenNodeAsync("pg");
        await using var command = slave.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
