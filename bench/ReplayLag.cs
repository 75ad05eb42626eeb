using System.Diagnostics;
using Npgsql;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// Commit-to-slave lag: `repl replay --node pg` runs as a service (child process, default 5 s interval, woken by the
/// PostgreSQL master's NOTIFY) while writers commit one-row transactions at a steady rate on the master. Each row's lag is
/// the moment a poller (every 5 ms) first sees it on the slave minus the moment its COMMIT returned to the writer, both on
/// this process's clock.
/// </summary>
internal static class ReplayLag
{
    private const int Writers = 4;
    private const double TargetP99Seconds = 1;

    /// <param name="captureExtension">Create the repl_capture extension on the master first, so its triggers are the C function's.</param>
    public static async Task RunAsync(int rate, TimeSpan duration, bool captureExtension)
    {
        var count = (int)(rate * duration.TotalSeconds);
        Bench.Say(Invariant($"lag: {rate} one-row transactions/s for {duration.TotalSeconds:0} s ({count:#,0} rows) on a postgresql master, ") +
                  "repl replay --node pg as a child process");
        var master = await BenchServers.NewPostgreSqlAsync("bench_lag_master");
        var slave = await BenchServers.NewPostgreSqlAsync("bench_lag_pg");
        if (captureExtension && !await BenchServers.TryCreateCaptureExtensionAsync(master))
            throw new InvalidOperationException("--capture-extension: the PostgreSQL server has no repl_capture extension; eng/servers.sh up installs it as root");
        Bench.Say(captureExtension ? "lag: capture by the C trigger function (repl_capture extension)" : "lag: capture by the PL/pgSQL triggers");
        await using (var c = await BenchServers.OpenPostgreSqlAsync(master))
            await BenchServers.Exec(c, "CREATE TABLE lagprobe (id integer PRIMARY KEY, writer integer NOT NULL, payload text NOT NULL)");
        var config = Bench.WriteConfig("lag", ("postgresql", master), [("pg", "postgresql", slave)], ["lagprobe"]);
        await Bench.ReplAsync("init", "--config", config);

        var (file, arguments) = Bench.ReplProcess($"replay --node pg --config \"{config}\"");
        using var service = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start repl replay");
        var log = new List<string>();
        service.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
        service.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            await WaitForStartAsync(service, log);
            var committed = new long[count];
            var seen = new long[count];
            using var stop = new CancellationTokenSource();
            var poller = PollAsync(slave, seen, stop.Token);
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => WriteAsync(master, w, rate, count, start, committed)));
            var writeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var deadline = Stopwatch.StartNew();
            while (seen.Any(s => s == 0) && deadline.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(50);
            await stop.CancelAsync();
            await poller;

            var missing = seen.Count(s => s == 0);
            var lags = Enumerable.Range(0, count).Where(i => seen[i] != 0)
                .Select(i => Stopwatch.GetElapsedTime(committed[i], seen[i]).TotalMilliseconds).Order().ToList();
            var p50 = lags[(int)(lags.Count * 0.50)];
            var p99 = lags[Math.Min(lags.Count - 1, (int)(lags.Count * 0.99))];
            Bench.Say(Invariant($"lag: {count:#,0} transactions in {writeSeconds:0.0} s ({count / writeSeconds:0} tx/s achieved), ") +
                      Invariant($"p50 {p50:0} ms, p99 {p99:0} ms, max {lags[^1]:0} ms, never seen {missing} ") +
                      Invariant($"(target p99 < {TargetP99Seconds * 1000:0} ms) {Bench.Verdict(missing == 0 && p99 < TargetP99Seconds * 1000)}"));
            lock (log)
                Bench.Say(Invariant($"  service log: {log.Count(l => l.Contains("applied", StringComparison.Ordinal))} cycles applied changes; last line: {log.LastOrDefault()}"));
        }
        finally
        {
            await StopAsync(service);
        }
    }

    // Writer w commits rows w, w + Writers, ... each at its slot of the common schedule (row n at start + n / rate).
    private static async Task WriteAsync(string master, int writer, int rate, int count, long start, long[] committed)
    {
        await using var c = new NpgsqlConnection(master);
        await c.OpenAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO lagprobe (id, writer, payload) VALUES ($1, $2, $3)", c);
        insert.Parameters.Add(new NpgsqlParameter<int>());
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = writer });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new string('x', 100) });
        await insert.PrepareAsync();
        for (var id = writer; id < count; id += Writers)
        {
            var due = TimeSpan.FromSeconds((double)id / rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.FromMilliseconds(1))
                await Task.Delay(due);
            ((NpgsqlParameter<int>)insert.Parameters[0]).TypedValue = id;
            await insert.ExecuteNonQueryAsync();
            committed[id] = Stopwatch.GetTimestamp();
        }
    }

    // Every 5 ms: the rows at or above the lowest id not yet seen; the first sighting of each id is its arrival time.
    private static async Task PollAsync(string slave, long[] seen, CancellationToken stop)
    {
        await using var c = new NpgsqlConnection(slave);
        await c.OpenAsync(CancellationToken.None);
        await using var select = new NpgsqlCommand("SELECT id FROM lagprobe WHERE id >= $1", c);
        var low = new NpgsqlParameter<int> { TypedValue = 0 };
        select.Parameters.Add(low);
        await select.PrepareAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            await using (var rows = await select.ExecuteReaderAsync(CancellationToken.None))
            {
                var now = Stopwatch.GetTimestamp();
                while (await rows.ReadAsync(CancellationToken.None))
                {
                    var id = rows.GetInt32(0);
                    if (id < seen.Length && seen[id] == 0)
                        seen[id] = now;
                }
            }
            var next = low.TypedValue;
            while (next < seen.Length && seen[next] != 0)
                next++;
            low.TypedValue = next;
            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WaitForStartAsync(Process service, List<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            lock (log)
                if (log.Any(l => l.Contains("replay started", StringComparison.Ordinal)))
                    return;
            if (service.HasExited)
                break;
            await Task.Delay(100);
        }
        lock (log)
            throw new InvalidOperationException("repl replay did not start:\n" + string.Join("\n", log));
    }

    // SIGTERM, as systemd stops it; SIGKILL only if it does not stop within 30 s.
    private static async Task StopAsync(Process service)
    {
        if (service.HasExited)
            return;
        await Bench.RunAsync("kill", Invariant($"-TERM {service.Id}"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await service.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            service.Kill();
        }
    }
}
