using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Faults;

/// <summary>What one chaos run did and found.</summary>
internal sealed record ChaosFigures(long Transactions, int Kills, int MasterRestarts, int SlaveRestarts, int Snapshots, int SnapshotsFailed,
    int FailedCycleLines, int AppliedCycleLines, IReadOnlyList<string> UnexpectedExits, long RowsCompared, long RowsDiffering, IReadOnlyList<string> Differences,
    TimeSpan Elapsed)
{
    /// <summary>The figures as one paragraph for the test output and the bench.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"chaos: {Elapsed.TotalSeconds:0} s; {Transactions} writer transactions (about 10 % rolled back) plus snapshot-table writes; " +
        $"faults injected: {Kills} SIGKILLs of replay services, {MasterRestarts} master server stop/start, {SlaveRestarts} slave server stop/start, " +
        $"{Snapshots} snapshot runs ({SnapshotsFailed} failed under faults); {AppliedCycleLines} applying cycles and {FailedCycleLines} failed cycles logged by the services; " +
        $"{UnexpectedExits.Count} services exited on their own; rows compared {RowsCompared}, rows differing {RowsDiffering}");
}

/// <summary>
/// The chaos run of issue 9, shared by the CI test (Chaos_pass_loses_nothing) and <c>bench chaos --minutes N</c>: on a
/// private server pair, a PostgreSQL master with a PostgreSQL and a MariaDB slave; a writer runs the random workload
/// (PK changes, unique swaps, rollbacks) and another rewrites a snapshot-mode table, one replay service per node runs
/// as a child process with a short interval, and the engine SIGKILLs services at random moments, stops and starts the
/// master server once and a slave server once, and runs <c>repl snapshot</c> now and then. At the end one
/// <c>repl replay --once</c> per node and one last snapshot, then every table of every slave is compared with the master.
/// </summary>
internal sealed class ChaosEngine(PrivateServers servers, Action<string> say)
{
    private const string Snapshot = "prices";
    private static readonly string[] SnapshotSchema =
        ["CREATE TABLE prices (id integer PRIMARY KEY, price numeric(12,2) NOT NULL, label varchar(40))"];
    private static readonly TimeSpan ServerDown = TimeSpan.FromSeconds(5);

    // Back-to-back cycles, so kills land inside them; one batch per cycle keeps each cycle one slave transaction.
    private static readonly Dictionary<string, string> Fast = new(StringComparer.Ordinal)
    {
        ["REPL_replay__interval"] = "00:00:00.200",
        ["REPL_replay__batchSize"] = "1000000",
    };

    private readonly SemaphoreSlim _writers = new(2, 2);
    private long _transactions;

    /// <summary>
    /// Runs for <paramref name="duration"/> and at least until <paramref name="minimumKills"/> SIGKILLs were delivered,
    /// then converges and compares.
    /// </summary>
    public async Task<ChaosFigures> RunAsync(TimeSpan duration, int minimumKills, int seed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var workload = new RandomWorkload(Vendor.PostgreSql, seed);
        var tables = RandomWorkload.Tables.Append((Snapshot, "snapshot")).ToList();
        var bed = await FaultBed.CreateAsync(servers, Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.MySql],
            [.. workload.Schema, .. SnapshotSchema], tables, "chaos_" + seed.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await using (var connection = await bed.OpenMasterAsync(cancellationToken))
        {
            await workload.RunAsync(connection, 100);
            for (var id = 1; id <= 50; id++)
                await WritePriceAsync(connection, random, id, cancellationToken);
        }
        await ReplOkAsync(bed, cancellationToken, "init");
        await ReplOkAsync(bed, cancellationToken, "snapshot", Snapshot);
        say($"chaos: set up in {clock.Elapsed.TotalSeconds:0} s; writers and replay services start");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writers = new[] { WriteAsync(bed, workload, stop.Token), WritePricesAsync(bed, seed, stop.Token) };
        var services = bed.Nodes.ToDictionary(n => n.Name, n => StartService(bed, n.Name), StringComparer.Ordinal);
        var unexpected = new List<string>();
        int kills = 0, masterRestarts = 0, slaveRestarts = 0, snapshots = 0, snapshotsFailed = 0, failedCycles = 0, appliedCycles = 0;
        Task<(int ExitCode, string Output)>? snapshot = null;
        var nextSnapshot = clock.Elapsed + TimeSpan.FromSeconds(5);
        var start = clock.Elapsed;
        try
        {
            while (clock.Elapsed - start < duration || kills < minimumKills)
            {
                var node = bed.Nodes[random.Next(bed.Nodes.Count)].Name;
                var service = services[node];
                // A third of the kills hit start-up (connecting, locking, reading the catalog); the rest a running service,
                // whose cycles follow each other back to back, at a random moment.
                if (random.Next(3) == 0)
                    await Task.Delay(random.Next(100, 1_500), cancellationToken);
                else if (await service.WaitForLineAsync("replay started", TimeSpan.FromSeconds(30), cancellationToken))
                    await Task.Delay(random.Next(0, 1_000), cancellationToken);
                ThrowIfFaulted(writers);
                var elapsed = (clock.Elapsed - start) / duration;
                if (masterRestarts == 0 && elapsed > 0.3)
                {
                    // The writers pause first: a commit cut by the stop would leave the workload unsure what the master holds.
                    await _writers.WaitAsync(cancellationToken);
                    await _writers.WaitAsync(cancellationToken);
                    try
                    {
                        say($"chaos: {clock.Elapsed.TotalSeconds:0} s: stopping the master server (PostgreSQL, also the pg slave's) for {ServerDown.TotalSeconds:0} s");
                        await servers.StopPostgreSqlAsync(cancellationToken);
                        await Task.Delay(ServerDown, cancellationToken);
                        await servers.StartPostgreSqlAsync(cancellationToken);
                    }
                    finally
                    {
                        _writers.Release(2);
                    }
                    masterRestarts++;
                    continue;
                }
                if (slaveRestarts == 0 && elapsed > 0.6)
                {
                    say($"chaos: {clock.Elapsed.TotalSeconds:0} s: stopping the slave server (MariaDB) for {ServerDown.TotalSeconds:0} s");
                    await servers.StopMySqlAsync(cancellationToken);
                    await Task.Delay(ServerDown, cancellationToken);
                    await servers.StartMySqlAsync(cancellationToken);
                    slaveRestarts++;
                    continue;
                }
                if (snapshot is null && clock.Elapsed > nextSnapshot)
                {
                    snapshot = ReplChild.RunAsync(bed.ConfigPath, Fast, TimeSpan.FromMinutes(2), cancellationToken, "snapshot", Snapshot);
                }
                else if (snapshot is { IsCompleted: true })
                {
                    snapshots++;
                    if ((await snapshot).ExitCode != 0)
                        snapshotsFailed++;
                    snapshot = null;
                    nextSnapshot = clock.Elapsed + TimeSpan.FromSeconds(random.Next(3, 10));
                }

                if (service.HasExited)
                    unexpected.Add($"repl replay --node {node} exited on its own:\n{service.Output}");
                service.Kill();
                await service.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                failedCycles += service.LineCount("cycle failed");
                appliedCycles += service.LineCount(": applied ");
                await service.DisposeAsync();
                kills++;
                services[node] = StartService(bed, node);
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var service in services.Values)
            {
                failedCycles += service.LineCount("cycle failed");
                appliedCycles += service.LineCount(": applied ");
                await service.DisposeAsync();
            }
            await Task.WhenAll(writers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        ThrowIfFaulted(writers);
        if (snapshot is not null)
        {
            snapshots++;
            if ((await snapshot).ExitCode != 0)
                snapshotsFailed++;
        }
        say($"chaos: {clock.Elapsed.TotalSeconds:0} s: faults over; one replay --once per node, one snapshot, then the comparison");

        foreach (var (node, _, _) in bed.Nodes)
            await ReplOkAsync(bed, cancellationToken, "replay", "--node", node, "--once");
        await ReplOkAsync(bed, cancellationToken, "snapshot", Snapshot);
        long compared = 0, differing = 0;
        var differences = new List<string>();
        foreach (var (table, _) in tables)
        {
            var (c, d, lines) = await bed.CompareAsync(table, cancellationToken);
            compared += c;
            differing += d;
            differences.AddRange(lines);
        }
        return new ChaosFigures(Interlocked.Read(ref _transactions), kills, masterRestarts, slaveRestarts, snapshots, snapshotsFailed, failedCycles, appliedCycles,
            unexpected, compared, differing, differences, clock.Elapsed);
    }

    private static ReplChild StartService(FaultBed bed, string node) => ReplChild.Start(bed.ConfigPath, Fast, "replay", "--node", node);

    // A killed service's master session can outlive it for a moment (holding the node lock), and a server just started
    // may still refuse: a few tries before the run is declared broken.
    private static async Task ReplOkAsync(FaultBed bed, CancellationToken cancellationToken, params string[] args)
    {
        var output = "";
        for (var attempt = 0; attempt < 30; attempt++)
        {
            int exit;
            (exit, output) = await ReplChild.RunAsync(bed.ConfigPath, Fast, TimeSpan.FromMinutes(5), cancellationToken, args);
            if (exit == 0)
                return;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        throw new InvalidOperationException($"repl {string.Join(' ', args)} failed 30 times; the last output:\n{output}");
    }

    private async Task WriteAsync(FaultBed bed, RandomWorkload workload, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _writers.WaitAsync(cancellationToken);
            try
            {
                await using var connection = await bed.OpenMasterAsync(cancellationToken);
                await workload.RunAsync(connection, 5);
                Interlocked.Add(ref _transactions, 5);
            }
            finally
            {
                _writers.Release();
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task WritePricesAsync(FaultBed bed, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed + 1);
        while (!cancellationToken.IsCancellationRequested)
        {
            await _writers.WaitAsync(cancellationToken);
            try
            {
                await using var connection = await bed.OpenMasterAsync(cancellationToken);
                for (var i = 0; i < 5; i++)
                    await WritePriceAsync(connection, random, random.Next(1, 80), cancellationToken);
            }
            finally
            {
                _writers.Release();
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    // Inserts, updates or deletes one row of the snapshot table, whichever its state allows.
    private static async Task WritePriceAsync(DbConnection connection, Random random, int id, CancellationToken cancellationToken)
    {
        var key = id.ToString(CultureInfo.InvariantCulture);
        var price = (random.Next(1, 1_000_000) / 100m).ToString(CultureInfo.InvariantCulture);
        var sql = random.Next(4) == 0
            ? $"DELETE FROM prices WHERE id = {key}"
            : $"INSERT INTO prices (id, price, label) VALUES ({key}, {price}, 'p{key}-{random.Next(100).ToString(CultureInfo.InvariantCulture)}') " +
              $"ON CONFLICT (id) DO UPDATE SET price = EXCLUDED.price, label = EXCLUDED.label";
        await FaultBed.ExecuteAsync(connection, sql, cancellationToken);
    }

    private static void ThrowIfFaulted(Task[] writers)
    {
        foreach (var writer in writers)
            if (writer.IsFaulted)
                writer.GetAwaiter().GetResult();
    }
}
