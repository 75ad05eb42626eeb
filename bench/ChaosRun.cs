using Repl.IntegrationTests.Faults;
using Repl.IntegrationTests.Infrastructure;

namespace Repl.Bench;

/// <summary>
/// <c>bench chaos --minutes N</c>: the chaos engine of the CI test Chaos_pass_loses_nothing for N minutes on a private
/// server pair of its own (it stops and starts those servers; the shared test servers are not used).
/// </summary>
internal static class ChaosRun
{
    public static async Task RunAsync(TimeSpan duration)
    {
        await using var servers = await PrivateServers.StartAsync(CancellationToken.None);
        var engine = new ChaosEngine(servers, Bench.Say);
        // At least 20 kills, as in CI; a long run kills every second or so and restarts each server once.
        var figures = await engine.RunAsync(duration, minimumKills: 20, seed: Environment.TickCount, CancellationToken.None);
        Bench.Say(figures.Summary);
        foreach (var line in figures.UnexpectedExits.Concat(figures.Differences))
            Bench.Say(line);
        Bench.Say(figures.RowsDiffering == 0 && figures.UnexpectedExits.Count == 0 ? "chaos: MET (zero differing rows)" : "chaos: NOT MET");
    }
}
