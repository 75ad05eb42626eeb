using Repl.IntegrationTests.ReplayService;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// The bounded chaos pass CI runs on every submission (issue 9): writers commit continuously while replay services are
/// SIGKILLed at random moments at least 20 times, the master server and a slave server are each stopped and started once,
/// and a snapshot-mode table is refreshed now and then; after one final cycle per node not a single row differs.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class Chaos_pass_loses_nothing(PrivateServersFixture fixture) : IClassFixture<PrivateServersFixture>
{
    [Fact]
    public async Task Twenty_sigkills_a_master_restart_and_a_slave_restart_leave_zero_differing_rows()
    {
        var output = TestContext.Current.TestOutputHelper;
        var engine = new ChaosEngine(fixture.Servers, line => output?.WriteLine(line));
        var figures = await engine.RunAsync(TimeSpan.FromSeconds(75), minimumKills: 20, seed: 90_001, TestContext.Current.CancellationToken);
        output?.WriteLine(figures.Summary);

        Assert.True(figures.UnexpectedExits.Count == 0, string.Join("\n\n", figures.UnexpectedExits));
        Assert.True(figures.RowsDiffering == 0, $"{figures.Summary}\n{string.Join("\n", figures.Differences)}");
        Assert.True(figures.Kills >= 20, figures.Summary);
        Assert.Equal(1, figures.MasterRestarts);
        Assert.Equal(1, figures.SlaveRestarts);
        Assert.True(figures.Transactions > 0 && figures.RowsCompared > 0 && figures.AppliedCycleLines > 0, figures.Summary);
    }
}
