using Repl.Schema;

namespace Repl.IntegrationTests.Snapshot;

/// <summary>
/// Two snapshots of the same table at the same time: on PostgreSQL and MariaDB the second refuses at once with a message
/// naming the table and node (the first holds the table's snapshot lock on the slave); on SQLite the second waits for the
/// first's write transaction and then loads the other twin. Either way the contents stay a complete snapshot.
/// </summary>
public sealed class Two_concurrent_snapshots_of_one_table
{
    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    public async Task The_second_refuses_clearly_while_the_first_runs(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, 5_000, $"concurrent_refuses_{slave}");
        var live = (await scenario.LiveTwinAsync())!.Value;
        await scenario.ChangeMasterAsync(1);

        // A reader's open transaction holds the view, so the first snapshot stops at its flip, holding its lock.
        Task<(int ExitCode, TestSupport.RecordingOutput Output)> first;
        (int ExitCode, TestSupport.RecordingOutput Output) second;
        await using (var reader = await scenario.OpenSlaveAsync())
        {
            await using var transaction = await reader.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var read = reader.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = scenario.CountAndKnownSql();
                await read.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            }
            first = scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);
            await SnapshotScenario.WaitUntilAsync(async () => first.IsCompleted || await scenario.SlaveSessionRunningAsync("CREATE OR REPLACE") is not null,
                "the first snapshot to reach its flip");
            Assert.False(first.IsCompleted, "the first snapshot finished although a reader held the view");

            second = await scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"node {scenario.Node}: another repl snapshot of public.AdminUsers is running on this node", second.Output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("this run changed nothing", second.Output.ErrorText, StringComparison.Ordinal);
        var (exit, output) = await first;
        Assert.True(exit == 0, output.ErrorText);
        await scenario.AssertViewShowsRoundAsync(1, 3 - live);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }

    [Fact]
    public async Task On_sqlite_the_second_waits_for_the_first_and_loads_the_other_twin()
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, Vendor.Sqlite, 5_000, "concurrent_waits_sqlite");
        var live = (await scenario.LiveTwinAsync())!.Value;
        await scenario.ChangeMasterAsync(1);

        // Another writer holds the database's write lock: both snapshots queue behind it, then run one after the other.
        Task<(int ExitCode, TestSupport.RecordingOutput Output)> first, second;
        await using (var writer = await scenario.OpenSlaveAsync())
        {
            await using var transaction = await writer.BeginTransactionAsync(TestContext.Current.CancellationToken);
            first = scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);
            second = scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);
            await Task.Delay(500, TestContext.Current.CancellationToken);
            Assert.False(first.IsCompleted || second.IsCompleted, "a snapshot finished while another writer held the SQLite database");
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output.ErrorText));
        var liveAfter = results.Select(r => r.Output.Text).ToList();
        Assert.Contains(liveAfter, text => text.Contains($"{scenario.Twins.Twin(3 - live).Name} is live", StringComparison.Ordinal));
        Assert.Contains(liveAfter, text => text.Contains($"{scenario.Twins.Twin(live).Name} is live", StringComparison.Ordinal));
        await scenario.AssertViewShowsRoundAsync(1, live);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }
}
