using Repl.IntegrationTests.Infrastructure;
using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Purge;

/// <summary>
/// The replay service run as a process with <c>purge.interval</c> set (here through REPL_purge__interval): between its
/// cycles it purges the master's logs, so with the only node replaying, the logs empty without any repl purge run by hand.
/// Time limits are generous upper bounds for a loaded machine, never measurements.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class The_replay_service_purges_on_its_schedule
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Logs_empty_while_the_only_node_replays_with_purge_interval_set(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 2024);
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql], workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Logs_empty_while_the_only_node_replays_with_purge_interval_set)}_{master}");
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 40);
        Assert.True(await MasterLogs.RowsAsync(replication) > 0);

        await using var service = ReplProcess.Start(replication.ConfigPath,
            new Dictionary<string, string> { ["REPL_purge__interval"] = "00:00:01", ["REPL_purge__batchSize"] = "50" }, "replay", "--node", "pg");
        await service.WaitForLineAsync("node pg: purge deleted", Limit);
        var deadline = DateTime.UtcNow + Limit;
        while (await MasterLogs.RowsAsync(replication) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);

        Assert.Equal(0, await MasterLogs.RowsAsync(replication));
        Assert.Equal(0, await MasterLogs.ProcessedRowsAsync(replication, "pg"));
        await service.TerminateAsync();
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }
}
