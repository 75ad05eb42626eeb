using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Repl.Dialects.MySql;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// Idempotency under SIGKILL (DESIGN §5 and §9): the real repl replay service is killed at random moments — while
/// connecting, between cycles, in the middle of a cycle, between the slave's and the master's commits — and restarted,
/// over and over while a writer runs every trap of the random workload. Whatever the kills interrupted, one final cycle
/// makes every slave equal the master: a crash never loses a transaction, and applying one twice is harmless.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class Replay_killed_at_random_moments_converges_to_the_master
{
    private const int Kills = 30;

    public static TheoryData<Vendor, Vendor[]> Setups => new()
    {
        { Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.Sqlite] },
        { Vendor.MySql, [Vendor.MySql] },
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task Sigkill_30_times_while_writers_run_then_one_cycle_makes_every_slave_equal(Vendor master, Vendor[] slaves)
    {
        var clock = Stopwatch.StartNew();
        var workload = new RandomWorkload(master, seed: 7_340_033);
        await using var replication = await Replication.CreateAsync(master, slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Sigkill_30_times_while_writers_run_then_one_cycle_makes_every_slave_equal)}_{master}");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 100);
        await replication.ReplOkAsync("init");

        using var writing = new CancellationTokenSource();
        var transactions = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = await replication.OpenMasterAsync();
            while (!writing.IsCancellationRequested)
            {
                await workload.RunAsync(connection, 5);
                transactions += 5;
            }
        }, TestContext.Current.CancellationToken);

        // Cycles back to back, so most moments are inside one. One batch per cycle: the SQLite apply cannot yet take a
        // unique swap split across batches (A_unique_swap_split_across_batches_applies_on_every_slave), and a backlog
        // piled up by the kills would split some.
        var fast = new Dictionary<string, string> { ["REPL_replay__interval"] = "00:00:00.050", ["REPL_replay__batchSize"] = "1000000" };
        var random = new Random(11);
        int midCycle = 0, betweenCycles = 0, starting = 0, appliedLines = 0;
        try
        {
            await using var probe = await replication.OpenMasterAsync();
            for (var kill = 0; kill < Kills; kill++)
            {
                var node = replication.Nodes[kill % replication.Nodes.Count].Name;
                await using var service = ReplProcess.Start(replication.ConfigPath, fast, "replay", "--node", node);
                // A third of the kills hit start-up (connecting, taking the lock, reading the catalog, the first cycle);
                // the rest hit a running service, whose cycles follow each other back to back.
                if (kill % 3 == 0)
                {
                    await Task.Delay(random.Next(100, 1_500), TestContext.Current.CancellationToken);
                }
                else
                {
                    await service.WaitForLineAsync("replay started", TimeSpan.FromSeconds(60));
                    await Task.Delay(random.Next(0, 800), TestContext.Current.CancellationToken);
                }
                if (writer.IsFaulted)
                    await writer;
                Assert.False(service.HasExited, $"repl replay --node {node} exited on its own:\n{service.Output}");
                switch (await MasterCycleStateAsync(probe, master, node))
                {
                    case true:
                        midCycle++;
                        break;
                    case false:
                        betweenCycles++;
                        break;
                    default:
                        starting++;
                        break;
                }
                service.Kill();
                await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
                appliedLines += service.LineCount(": applied ");
            }
        }
        finally
        {
            await writing.CancelAsync();
        }
        await writer;
        foreach (var (node, _, _) in replication.Nodes)
            await FinalCycleAsync(replication, node, fast);
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Kills} kills: {midCycle} with the master transaction of a cycle open, {betweenCycles} between cycles, {starting} before the node lock was taken; " +
            $"{appliedLines} applying cycles completed between kills; {transactions} writer transactions; {clock.Elapsed.TotalSeconds:0} s"));
        Assert.True(appliedLines > 0, "no killed service ever completed a cycle: the kills never interrupted a working service");
    }

    // The killed process's session may take a moment to end on the server; until then the node lock is still held.
    private static async Task FinalCycleAsync(Replication replication, string node, IReadOnlyDictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var once = ReplProcess.Start(replication.ConfigPath, environment, "replay", "--node", node, "--once");
            var exit = await once.WaitForExitAsync(TimeSpan.FromSeconds(120));
            if (exit == 0)
                return;
            Assert.True(once.Output.Contains("another repl replay is running", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30),
                $"the final replay --once of node {node} exited {exit}:\n{once.Output}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Whether the session holding the node's lock on the master is inside a transaction (a cycle is running), outside
    /// one (between cycles), or null when nobody holds the lock yet (the process is still starting).
    /// </summary>
    private static async Task<bool?> MasterCycleStateAsync(DbConnection probe, Vendor master, string node)
    {
        await using var command = probe.CreateCommand();
        command.CommandText = master == Vendor.PostgreSql
            ? """
              SELECT a.xact_start IS NOT NULL
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              """
            : $"""
              SELECT EXISTS (SELECT 1 FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = IS_USED_LOCK({MySqlMaster.LockExpression}))
              FROM DUAL WHERE IS_USED_LOCK({MySqlMaster.LockExpression}) IS NOT NULL
              """;
        if (master == Vendor.MySql)
        {
            var name = command.CreateParameter();
            name.ParameterName = "@name";
            name.Value = MySqlMaster.LockName(node);
            command.Parameters.Add(name);
        }
        var state = await command.ExecuteScalarAsync();
        return state is null or DBNull ? null : Convert.ToBoolean(state, CultureInfo.InvariantCulture);
    }
}
