using System.Globalization;

namespace Repl.Bench;

/// <summary>
/// End-to-end benchmarks that print ratios against the vendors' own bulk loaders and baselines measured in the same run.
/// Run with the test servers up: `bash eng/servers.sh up && eval "$(bash eng/servers.sh env)" &&
/// dotnet run -c Release --project bench -- capture`. `--smoke` makes every benchmark tiny (CI runs that). See bench/README.md.
/// </summary>
internal static class Program
{
    private static readonly string[] Known = ["capture", "load", "apply", "snapshot", "rss", "lag", "all", "chaos"];

    // Options without a value.
    private static readonly string[] Flags = ["--smoke", "--capture-extension"];

    private static async Task<int> Main(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var what = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a)).DefaultIfEmpty("all").First();
        if (!Known.Contains(what))
        {
            await Console.Error.WriteLineAsync($"unknown benchmark {what}; known: {string.Join(", ", Known)}");
            return 2;
        }
        var all = what == "all";
        Bench.Say($"repl bench {what}{(smoke ? " --smoke" : "")}: {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        if (all || what == "capture")
            await CaptureOverhead.RunAsync(TimeSpan.FromSeconds(Option(args, "--seconds", smoke ? 2 : 20)),
                Option(args, "--scale", smoke ? 1 : 10), Option(args, "--rounds", smoke ? 1 : 3));
        if (all || what == "load")
            await InitialLoad.RunAsync(Option(args, "--rows", smoke ? 20_000 : 1_000_000), Option(args, "--rounds", smoke ? 1 : 2));
        if (all || what == "apply")
            await ApplyRate.RunAsync(Option(args, "--rows", smoke ? 20_000 : 1_000_000), Option(args, "--rounds", smoke ? 1 : 2), Option(args, "--passes", 3));
        if (all || what == "snapshot")
            await SnapshotRate.RunAsync(Option(args, "--rows", smoke ? 20_000 : 1_000_000), Option(args, "--rounds", smoke ? 1 : 3));
        if (all || what == "rss")
            await PeakRss.RunAsync(Option(args, "--rows", smoke ? 20_000 : 5_000_000));
        if (all || what == "lag")
            await ReplayLag.RunAsync(Option(args, "--rate", smoke ? 50 : 500), TimeSpan.FromSeconds(Option(args, "--seconds", smoke ? 3 : 30)),
                args.Contains("--capture-extension"));
        if (what == "chaos")
            await ChaosRun.RunAsync(TimeSpan.FromMinutes(Option(args, "--minutes", smoke ? 1 : 20)));
        Bench.Say($"done; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static bool IsOptionValue(string[] args, string arg)
    {
        var i = Array.IndexOf(args, arg);
        return i > 0 && args[i - 1].StartsWith("--", StringComparison.Ordinal) && !Flags.Contains(args[i - 1]);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
