using System.Diagnostics;
using System.Globalization;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// Peak resident memory of `repl replay --once`, run as a child process (the built repl), while it applies a backlog of
/// N inserted rows from a PostgreSQL master to a PostgreSQL slave: /proc/&lt;pid&gt;/status VmHWM, read every 50 ms until it exits.
/// </summary>
internal static class PeakRss
{
    private const double TargetMegabytes = 300;

    public static async Task RunAsync(long rows)
    {
        Bench.Say(Invariant($"rss: repl replay --once over a backlog of {rows:#,0} inserted rows, postgresql -> postgresql"));
        var master = await SiteUsers.PostgreSqlMasterAsync("bench_rss_master", 0);
        var slave = await BenchServers.NewPostgreSqlAsync("bench_rss_pg");
        var config = Bench.WriteConfig("rss", ("postgresql", master), [("pg", "postgresql", slave)], [SiteUsers.Name]);
        await Bench.ReplAsync("init", "--config", config);
        await using (var c = await BenchServers.OpenPostgreSqlAsync(master))
        {
            for (long from = 1; from <= rows; from += 500_000)
                await BenchServers.Exec(c, SiteUsers.PostgreSqlInsert(from, Math.Min(rows, from + 499_999)));
            await BenchServers.Exec(c, "VACUUM ANALYZE");
        }
        Bench.Say(Invariant($"  backlog of {rows:#,0} rows committed on the master"));

        var (file, arguments) = Bench.ReplProcess($"replay --once --node pg --config \"{config}\"");
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start repl");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peakKb = 0;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, HighWaterMarkKb(process.Id));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"repl replay --once exited {process.ExitCode}: {await output}{await error}");
        var megabytes = peakKb / 1024.0;
        Bench.Say("  repl: " + (await output).Trim());
        Bench.Say(Invariant($"rss: peak RSS (VmHWM) {megabytes:0} MB applying {rows:#,0} rows in {elapsed.TotalSeconds:0.0} s ") +
                  Invariant($"({rows / elapsed.TotalSeconds:#,0} rows/s) (target < {TargetMegabytes:0} MB) {Bench.Verdict(megabytes < TargetMegabytes)}"));
    }

    // VmHWM is the process's peak resident set so far; 0 once the process is gone.
    private static long HighWaterMarkKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
