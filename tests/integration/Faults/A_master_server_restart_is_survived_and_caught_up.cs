using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// Issue 9: the master server goes away for many cycles while the replay service runs. The service logs one line per
/// failed attempt naming the node and the master (never the password), backs off, does not exit, and once the master is
/// back it catches up by itself: the slave equals the master.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class A_master_server_restart_is_survived_and_caught_up(PrivateServersFixture fixture) : IClassFixture<PrivateServersFixture>
{
    public static TheoryData<Vendor, Vendor> Setups => new() { { Vendor.PostgreSql, Vendor.MySql }, { Vendor.MySql, Vendor.PostgreSql } };

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task The_service_logs_each_failure_backs_off_and_catches_up_after_the_master_restarts(Vendor master, Vendor slave)
    {
        var servers = fixture.Servers;
        var (bed, workload) = await FaultSteps.InitAsync(servers, master, slave, $"master_restart_{master}".ToLowerInvariant());
        var node = bed.Nodes[0].Name;
        await using var service = ReplProcess.Start(bed.ConfigPath, FaultSteps.Fast, "replay", "--node", node);
        await using (var writer = new PausableWriter(bed, workload))
        {
            await service.WaitForLineAsync("replay started", TimeSpan.FromSeconds(120));
            await service.WaitForLineAsync(": applied ", TimeSpan.FromSeconds(120));

            await writer.PauseAsync();
            var failuresBefore = service.LineCount("cycle failed");
            if (master == Vendor.PostgreSql)
                await servers.StopPostgreSqlAsync(TestContext.Current.CancellationToken);
            else
                await servers.StopMySqlAsync(TestContext.Current.CancellationToken);
            // Retries at 1, 2, 4 s: three failed attempts mean the master was away for several cycles.
            await service.WaitForLineAsync("cycle failed", TimeSpan.FromSeconds(120), failuresBefore + 3);
            if (master == Vendor.PostgreSql)
                await servers.StartPostgreSqlAsync(TestContext.Current.CancellationToken);
            else
                await servers.StartMySqlAsync(TestContext.Current.CancellationToken);
            writer.Resume();
            await service.WaitForLineAsync("recovered after", TimeSpan.FromSeconds(180));
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        }
        await FaultSteps.WaitUntilEqualAsync(bed, service, TimeSpan.FromMinutes(3));

        var failures = service.Output.Split('\n').Where(l => l.Contains("cycle failed", StringComparison.Ordinal)).ToList();
        Assert.All(failures, l => Assert.Contains($"node {node}", l, StringComparison.Ordinal));
        Assert.Contains(failures, l => l.Contains("cannot connect to master", StringComparison.Ordinal));
        Assert.DoesNotContain("repl-test-pw", service.Output, StringComparison.Ordinal);
        Assert.False(service.HasExited, service.Output);
    }
}
