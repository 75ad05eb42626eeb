using System.Globalization;

namespace Repl.Bench;

/// <summary>
/// End-to-end benchmarks that print ratios against the vendors' own bulk loaders and baselines measured in the same run.
/// Run with the test servers up: `bash eng/servers.sh up && eval "$(bash eng/servers.sh env)" &&
/// dotnet run -c Release --project bench -- capture`. `--smoke` makes every benchmark tiny (CI runs that).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var what = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).DefaultIfEmpty("all").First();
        var seconds = Option(args, "--seconds", smoke ? 2 : 20);
        switch (what)
        {
            case "capture":
            case "all":
                await CaptureOverhead.RunAsync(TimeSpan.FromSeconds(seconds), smoke ? 1 : Option(args, "--scale", 10), smoke ? 1 : Option(args, "--rounds", 2));
                break;
            default:
                Console.Error.WriteLine($"unknown benchmark {what}; known: capture, all");
                return 2;
        }
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
