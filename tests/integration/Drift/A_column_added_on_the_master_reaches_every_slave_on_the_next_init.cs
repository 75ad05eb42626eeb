using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Drift;

/// <summary>
/// ALTER TABLE ... ADD COLUMN on the master (its DEFAULT filling the existing rows, then some rows changed): replay refuses
/// the table until init ran; the next init adds the column on every slave, regenerates the apply routine and copies the
/// master's values; a following workload then replays with the new column and every slave equals the master.
/// </summary>
public sealed class A_column_added_on_the_master_reaches_every_slave_on_the_next_init
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Init_adds_the_column_everywhere_and_replay_keeps_it_equal(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 9001);
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            workload.Schema, RandomWorkload.Tables, test: $"{nameof(Init_adds_the_column_everywhere_and_replay_keeps_it_equal)}_{master}");
        await RunWorkloadAsync(replication, workload, 80);
        await replication.ReplOkAsync("init");

        await replication.ExecuteOnMasterAsync("ALTER TABLE accounts ADD COLUMN region varchar(20) NOT NULL DEFAULT 'eu'");
        await replication.ExecuteOnMasterAsync("UPDATE accounts SET region = 'us' WHERE id % 3 = 0");

        var (exit, refused) = await replication.ReplAsync("replay", "--node", "pg", "--once");
        Assert.Equal(2, exit);
        Assert.Contains("accounts", refused.ErrorText, StringComparison.Ordinal);
        Assert.Contains("\"region\" were added on the master", refused.ErrorText, StringComparison.Ordinal);

        var init = await replication.ReplOkAsync("init");

        Assert.Contains("new columns of accounts: created", init.Text, StringComparison.Ordinal);
        Assert.Contains("new column signature of", init.Text, StringComparison.Ordinal);
        await replication.AssertSlavesEqualMasterAsync("accounts");
        await replication.AssertSlavesEqualMasterAsync("blobs");
        Assert.Contains("Nothing to do", (await replication.ReplOkAsync("init")).Text, StringComparison.Ordinal);

        for (var round = 0; round < 2; round++)
        {
            await RunWorkloadAsync(replication, workload, 80);
            await replication.ExecuteOnMasterAsync($"UPDATE accounts SET region = 'r{round}' WHERE id % 4 = {round}");
            foreach (var (node, _, _) in replication.Nodes)
                await replication.ReplOkAsync("replay", "--node", node, "--once");
            await replication.AssertSlavesEqualMasterAsync("accounts");
            await replication.AssertSlavesEqualMasterAsync("blobs");
        }
    }

    [Fact]
    public async Task Init_after_a_run_that_stopped_half_way_adds_the_column_only_where_it_is_missing()
    {
        string[] schema =
        [
            "CREATE TABLE members (id integer PRIMARY KEY, nick varchar(30) NOT NULL)",
            "INSERT INTO members VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')",
        ];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            schema, [("members", "log")]);
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("ALTER TABLE members ADD COLUMN score integer DEFAULT 7");
        await replication.ExecuteOnMasterAsync("UPDATE members SET score = id * 10 WHERE id > 1");
        // What an init that failed after changing node pg leaves behind: the column there, the old signature on the master.
        await using (var pg = await replication.OpenNodeAsync("pg"))
        await using (var alter = pg.CreateCommand())
        {
            alter.CommandText = "ALTER TABLE members ADD COLUMN score integer";
            await alter.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var init = await replication.ReplOkAsync("init");

        Assert.Contains("node maria: new columns of members: created", init.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("node pg: new columns of members", init.Text, StringComparison.Ordinal);
        await replication.AssertSlavesEqualMasterAsync("members");
        await replication.ExecuteOnMasterAsync("INSERT INTO members VALUES (4, 'dee', 40)");
        foreach (var (node, _, _) in replication.Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        await replication.AssertSlavesEqualMasterAsync("members");
    }

    private static async Task RunWorkloadAsync(Replication replication, RandomWorkload workload, int transactions)
    {
        await using var connection = await replication.OpenMasterAsync();
        await workload.RunAsync(connection, transactions);
    }
}
