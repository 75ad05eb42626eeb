using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Purge;

/// <summary>
/// repl purge on PostgreSQL and MariaDB masters feeding a PostgreSQL and a SQLite slave: with a steady workload and purge
/// after every round of replays, the logs never hold more than the work some node still has to do (MariaDB: no history
/// rows either), and processed tables hold only transactions a log still refers to; a transaction one node has not
/// processed, or one still running, keeps its log rows; and the slaves end equal to the master.
/// </summary>
public sealed class Purge_keeps_the_logs_bounded_and_never_drops_pending_work
{
    private static readonly Vendor[] Slaves = [Vendor.PostgreSql, Vendor.Sqlite];
    private static readonly string[] Nodes = ["pg", "lite"];

    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Log_rows_never_exceed_the_pending_work_over_sixty_cycles_of_replay_and_purge(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 9001);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Log_rows_never_exceed_the_pending_work_over_sixty_cycles_of_replay_and_purge)}_{master}");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 20);
        await replication.ReplOkAsync("init");

        long written = 0, largest = 0;
        for (var cycle = 0; cycle < 60; cycle++)
        {
            // Writes between the two nodes' replays: after the purge, exactly the rows of the second batch are pending (for pg).
            var start = await MasterLogs.RowsAsync(replication);
            await using (var connection = await replication.OpenMasterAsync())
                await workload.RunAsync(connection, 3);
            await replication.ReplOkAsync("replay", "--node", "pg", "--once");
            var beforeSecond = await MasterLogs.RowsAsync(replication);
            await using (var connection = await replication.OpenMasterAsync())
                await workload.RunAsync(connection, 3);
            var afterSecond = await MasterLogs.RowsAsync(replication);
            await replication.ReplOkAsync("replay", "--node", "lite", "--once");
            written += afterSecond - start;

            await replication.ReplOkAsync("purge", "--batch", "7");

            var rows = await MasterLogs.RowsAsync(replication);
            var pending = await MasterLogs.PendingRowsAsync(replication, Nodes);
            Assert.True(rows == pending, $"cycle {cycle}: the logs hold {rows} row(s) but only {pending} are pending for some node");
            Assert.True(rows == afterSecond - beforeSecond,
                $"cycle {cycle}: the logs hold {rows} row(s); pg has not processed the {afterSecond - beforeSecond} written after its replay");
            foreach (var node in Nodes)
                Assert.Equal(0, await MasterLogs.UnreferencedProcessedRowsAsync(replication, node));
            largest = Math.Max(largest, rows);
        }

        Assert.True(written > 300, $"the workload wrote only {written} log rows");
        Assert.True(largest < written / 10, $"the logs reached {largest} rows while {written} were written: purge does not keep them bounded");
        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
        await replication.ReplOkAsync("purge");
        Assert.Equal(0, await MasterLogs.RowsAsync(replication));
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Rows_of_a_transaction_one_node_has_not_processed_or_still_running_are_kept(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 31);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Rows_of_a_transaction_one_node_has_not_processed_or_still_running_are_kept)}_{master}");
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 30);

        // A writer whose transaction stays open across both replays and the purge.
        await using var writer = await replication.OpenMasterAsync();
        await using var running = await writer.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var insert = writer.CreateCommand())
        {
            insert.Transaction = running;
            insert.CommandText = "INSERT INTO blobs (k1, k2, data, label) VALUES (900000, 'open', NULL, 'still running')";
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
        var logged = await MasterLogs.RowsAsync(replication);
        Assert.True(logged > 0);

        await replication.ReplOkAsync("purge", "--batch", "5");

        Assert.Equal(logged, await MasterLogs.RowsAsync(replication));
        Assert.True(await MasterLogs.ProcessedRowsAsync(replication, "pg") > 0, "pg's processed rows went while their log rows stay");

        await replication.ReplOkAsync("replay", "--node", "lite", "--once");
        var purged = await replication.ReplOkAsync("purge", "--batch", "5");
        var left = await MasterLogs.RowsAsync(replication);
        // MariaDB's index range scan locks the record just past each range: the open writer's log row can make the purge
        // of that log give up until next time (it says so); PostgreSQL never waits.
        if (master == Vendor.PostgreSql || !purged.Text.Contains("a running transaction holds a lock", StringComparison.Ordinal))
            Assert.Equal(0, left);
        else
            Assert.True(left < logged, $"{left} of {logged} rows left: the purge of the other log should not have waited");

        await running.CommitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(left + 1, await MasterLogs.RowsAsync(replication));
        await replication.ReplOkAsync("purge");
        Assert.Equal(1, await MasterLogs.RowsAsync(replication));
        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
        await replication.ReplOkAsync("replay", "--node", "lite", "--once");
        await replication.ReplOkAsync("purge");
        Assert.Equal(0, await MasterLogs.RowsAsync(replication));
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Dry_run_prints_the_batched_deletes_and_changes_nothing(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 8);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Dry_run_prints_the_batched_deletes_and_changes_nothing)}_{master}");
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 10);
        foreach (var node in Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        var logged = await MasterLogs.RowsAsync(replication);

        var output = await replication.ReplOkAsync("purge", "--dry-run", "--batch", "100");

        Assert.Contains("DELETE", output.Text, StringComparison.Ordinal);
        Assert.Contains("LIMIT 100", output.Text, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was changed", output.Text, StringComparison.Ordinal);
        Assert.True(logged > 0);
        Assert.Equal(logged, await MasterLogs.RowsAsync(replication));
    }
}
