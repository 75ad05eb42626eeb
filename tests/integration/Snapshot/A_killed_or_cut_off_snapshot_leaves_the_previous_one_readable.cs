using Repl.Schema;

namespace Repl.IntegrationTests.Snapshot;

/// <summary>
/// Failures in the middle of a snapshot: the repl process SIGKILLed while it loads a larger table, the slave's session
/// cut off as by a server restart (pg_terminate_backend / KILL CONNECTION; the shared servers are never restarted),
/// and a kill between the load and the flip. Each leaves the previous snapshot readable through the view, and the next
/// snapshot succeeds.
/// </summary>
public sealed class A_killed_or_cut_off_snapshot_leaves_the_previous_one_readable
{
    // Large enough that the load takes a good fraction of a second even on a fast machine.
    private const int Rows = 200_000;

    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    [InlineData(Vendor.Sqlite)]
    public async Task When_the_repl_process_is_killed_mid_load(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, Rows, $"kill_mid_load_{slave}");
        var live = await scenario.LiveTwinAsync();
        await scenario.ChangeMasterAsync(1);

        using (var repl = scenario.StartRepl("snapshot", SnapshotScenario.Table))
        {
            await SnapshotScenario.WaitUntilAsync(async () => repl.HasExited || await scenario.MasterReadRunningAsync(), "the snapshot's master read");
            Assert.False(repl.HasExited, "repl finished before it could be killed mid-load:\n" + repl.Output);
            await repl.KillAsync();
        }

        await scenario.AssertViewShowsRoundAsync(0, live);
        await scenario.WaitForSnapshotLockReleasedAsync();
        await scenario.SnapshotOkAsync();
        await scenario.AssertViewShowsRoundAsync(1);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }

    [Theory]
    [InlineData(Vendor.PostgreSql, "COPY")]
    [InlineData(Vendor.MySql, "LOAD DATA")]
    public async Task When_the_slave_session_is_cut_off_mid_load(Vendor slave, string load)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, Rows, $"cut_off_mid_load_{slave}");
        var live = await scenario.LiveTwinAsync();
        await scenario.ChangeMasterAsync(1);

        var run = scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);
        long? session = null;
        await SnapshotScenario.WaitUntilAsync(async () => run.IsCompleted || (session = await scenario.SlaveSessionRunningAsync(load)) is not null,
            $"repl's {load} on the slave");
        Assert.False(run.IsCompleted, "repl finished before its slave session could be cut off");
        await scenario.KillSlaveSessionAsync(session!.Value);
        var (exit, output) = await run;

        Assert.Equal(2, exit);
        Assert.Contains($"node {scenario.Node}: the snapshot of public.AdminUsers failed", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("Readers of AdminUsers still see the previous snapshot", output.ErrorText, StringComparison.Ordinal);
        await scenario.AssertViewShowsRoundAsync(0, live);
        await scenario.WaitForSnapshotLockReleasedAsync();
        await scenario.SnapshotOkAsync();
        await scenario.AssertViewShowsRoundAsync(1);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }

    /// <summary>
    /// A reader's open transaction holds the view, so the flip waits after the load: right there the repl process is
    /// SIGKILLed and its slave session cut off (a server waiting on a lock does not notice a dead client by itself). On
    /// MariaDB the load has committed by then (CREATE VIEW would have committed it anyway), and the next run must load
    /// the same twin again; on PostgreSQL the load and the flip are one transaction, which dies with the session.
    /// </summary>
    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    public async Task When_the_process_and_its_slave_session_die_between_load_and_flip(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, 5_000, $"die_before_flip_{slave}");
        var live = (await scenario.LiveTwinAsync())!.Value;
        var inactive = scenario.Twins.Twin(3 - live);
        await scenario.ChangeMasterAsync(1);

        await using (var reader = await scenario.OpenSlaveAsync())
        {
            await using var transaction = await reader.BeginTransactionAsync(TestContext.Current.CancellationToken);
            Assert.Equal((5_000L, (long?)0), await ReadInTransactionAsync(scenario, reader, transaction));
            using var repl = scenario.StartRepl("snapshot", SnapshotScenario.Table);
            long? flip = null;
            await SnapshotScenario.WaitUntilAsync(async () => repl.HasExited || (flip = await scenario.SlaveSessionRunningAsync("CREATE OR REPLACE")) is not null,
                "repl's flip to wait for the reader");
            Assert.False(repl.HasExited, "repl finished although a reader held the view:\n" + repl.Output);
            await repl.KillAsync();
            await scenario.KillSlaveSessionAsync(flip!.Value);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await scenario.AssertViewShowsRoundAsync(0, live);
        // What the dead run left in the inactive twin: MariaDB committed the load before the flip, PostgreSQL did not.
        Assert.Equal(slave == Vendor.MySql ? 5_001 : 0, await scenario.CountAsync(inactive));
        await scenario.WaitForSnapshotLockReleasedAsync();
        await scenario.SnapshotOkAsync();
        await scenario.AssertViewShowsRoundAsync(1, 3 - live);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }

    /// <summary>
    /// Only the client dies while MariaDB's flip waits for a reader: the server does not notice and completes the flip
    /// once the reader lets go. The view then reads the new twin, whose load had committed: a complete snapshot still.
    /// </summary>
    [Fact]
    public async Task When_only_the_process_dies_at_the_flip_MariaDB_completes_it_onto_the_committed_twin()
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, Vendor.MySql, 5_000, "client_dies_at_flip");
        var live = (await scenario.LiveTwinAsync())!.Value;
        await scenario.ChangeMasterAsync(1);

        await using (var reader = await scenario.OpenSlaveAsync())
        {
            await using var transaction = await reader.BeginTransactionAsync(TestContext.Current.CancellationToken);
            Assert.Equal((5_000L, (long?)0), await ReadInTransactionAsync(scenario, reader, transaction));
            using var repl = scenario.StartRepl("snapshot", SnapshotScenario.Table);
            await SnapshotScenario.WaitUntilAsync(async () => repl.HasExited || await scenario.SlaveSessionRunningAsync("CREATE OR REPLACE") is not null,
                "repl's flip to wait for the reader");
            Assert.False(repl.HasExited, "repl finished although a reader held the view:\n" + repl.Output);
            await repl.KillAsync();
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await SnapshotScenario.WaitUntilAsync(async () => await scenario.SlaveSessionRunningAsync("CREATE OR REPLACE") is null, "the flip to finish");
        await scenario.AssertViewShowsRoundAsync(1, 3 - live);
        await scenario.WaitForSnapshotLockReleasedAsync();
        await scenario.SnapshotOkAsync();
        await scenario.AssertViewShowsRoundAsync(1, live);
    }

    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    [InlineData(Vendor.Sqlite)]
    public async Task When_a_crashed_run_left_other_rows_in_the_inactive_twin(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, 1_000, $"leftover_twin_{slave}");
        var live = (await scenario.LiveTwinAsync())!.Value;
        var q = scenario.SlaveSchema.Identifiers;
        await using (var connection = await scenario.OpenSlaveAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {q.Quote(scenario.Twins.Twin(3 - live))} VALUES (-1, 'stale', 'x', 'x', -1)";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        await scenario.ChangeMasterAsync(1);

        await scenario.SnapshotOkAsync();

        await scenario.AssertViewShowsRoundAsync(1, 3 - live);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }

    private static async Task<(long, long?)> ReadInTransactionAsync(SnapshotScenario scenario, System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = scenario.CountAndKnownSql();
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
