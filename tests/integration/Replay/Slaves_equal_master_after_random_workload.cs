using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Replay;

/// <summary>
/// For every master → slave pair (PostgreSQL and MariaDB masters; PostgreSQL, MariaDB and SQLite slaves): init loads the
/// slaves, a random workload with every trap of DESIGN §5 runs on the master, replay --once applies it, and every slave
/// equals the master, compared by a reader that does not use the apply code. Three rounds, so later cycles apply on top
/// of earlier ones.
/// </summary>
public sealed class Slaves_equal_master_after_random_workload
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Every_slave_vendor_equals_the_master_after_each_replay(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 20261129);
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            workload.Schema, RandomWorkload.Tables, test: $"{nameof(Every_slave_vendor_equals_the_master_after_each_replay)}_{master}");

        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 150);
        await replication.ReplOkAsync("init");
        await AssertAllEqualAsync(replication);

        for (var round = 0; round < 3; round++)
        {
            await using (var connection = await replication.OpenMasterAsync())
                await workload.RunAsync(connection, 200);
            foreach (var (node, _, _) in replication.Nodes)
                await replication.ReplOkAsync("replay", "--node", node, "--once");
            await AssertAllEqualAsync(replication);
        }
    }

    private static async Task AssertAllEqualAsync(Replication replication)
    {
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }
}
