using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// <c>repl replay --node N</c> run as the real process an operator (or systemd) starts: it stops cleanly on SIGTERM, a
/// second replay of the same node is refused while the first holds the node lock, a PostgreSQL master's notifications
/// wake it long before its interval, and an unreachable slave is retried with growing delays, one log line per failure.
/// Time limits here are generous upper bounds for a loaded machine, never measurements.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class The_replay_service_process_behaves_as_an_operator_expects
{
    private const string Started = "replay started";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_stops_the_service_with_exit_code_0_and_releases_the_node_lock()
    {
        await using var replication = await InitializedAsync();
        await using var service = ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", "pg");
        await service.WaitForLineAsync(Started, StartLimit);
        await replication.ExecuteOnMasterAsync("INSERT INTO items VALUES (2, 'two')");
        await WaitForRowOnSlaveAsync(replication, 2, TimeSpan.FromSeconds(30));

        await service.TerminateAsync();

        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("node pg: replay stopped", service.Output, StringComparison.Ordinal);
        // The lock went with the process: a single cycle may run at once.
        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
    }

    [Fact]
    public async Task A_second_replay_of_the_same_node_is_refused_naming_the_node_while_the_first_runs()
    {
        await using var replication = await InitializedAsync();
        await using var first = ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", "pg");
        await first.WaitForLineAsync(Started, StartLimit);

        await using var once = ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", "pg", "--once");
        Assert.Equal(2, await once.WaitForExitAsync(StartLimit));
        Assert.Contains("node pg: another repl replay is running for this node", once.Output, StringComparison.Ordinal);

        // A second service does not give up: it says once that it waits for the lock, and keeps waiting.
        await using var second = ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", "pg");
        await second.WaitForLineAsync("node pg: another repl replay holds this node's lock on the master; waiting", StartLimit);
        Assert.False(second.HasExited, second.Output);
        Assert.Equal(0, second.LineCount(Started));

        await second.TerminateAsync();
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.False(first.HasExited, first.Output);
        await first.TerminateAsync();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_postgresql_master_wakes_the_service_long_before_its_30_second_interval()
    {
        await using var replication = await InitializedAsync();
        var interval = new Dictionary<string, string> { ["REPL_replay__interval"] = "00:00:30" };
        await using var service = ReplProcess.Start(replication.ConfigPath, interval, "replay", "--node", "pg");
        await service.WaitForLineAsync(Started, StartLimit);
        Assert.Contains("interval 00:00:30, woken by the master's notifications", service.Output, StringComparison.Ordinal);

        // The first cycle has run; without a wake-up the next one is 30 s away.
        var clock = Stopwatch.StartNew();
        await replication.ExecuteOnMasterAsync("INSERT INTO items VALUES (2, 'woken')");
        await WaitForRowOnSlaveAsync(replication, 2, TimeSpan.FromSeconds(10));
        TestContext.Current.TestOutputHelper?.WriteLine($"the change reached the slave after {clock.ElapsedMilliseconds} ms");

        await service.TerminateAsync();
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task An_unreachable_slave_is_retried_with_growing_delays_one_line_per_failure_and_once_exits_2_naming_the_node()
    {
        await using var replication = await InitializedAsync();
        var deadSlave = new Dictionary<string, string>
        {
            ["REPL_nodes__pg__connectionString"] = string.Create(CultureInfo.InvariantCulture,
                $"Host=127.0.0.1;Port={DeadPort()};Database=gone;Username=postgres;Timeout=5"),
        };
        await using var service = ReplProcess.Start(replication.ConfigPath, deadSlave, "replay", "--node", "pg");

        var firstAt = await service.WaitForLineAsync("node pg: cycle failed", StartLimit);
        var secondAt = await service.WaitForLineAsync("node pg: cycle failed", StartLimit, occurrence: 2);

        Assert.False(service.HasExited, service.Output);
        var failures = service.Output.Split('\n').Where(l => l.Contains("cycle failed", StringComparison.Ordinal)).ToList();
        var delays = failures.Select(RetryDelay).ToList();
        Assert.True(delays[1] > delays[0], $"the retry delay did not grow:\n{service.Output}");
        // The second attempt came after the first delay had passed (a lower bound set by the service itself).
        Assert.True(secondAt - firstAt >= TimeSpan.FromSeconds(delays[0] * 0.9), $"retried after {secondAt - firstAt}, before its announced {delays[0]} s");
        Assert.All(failures, l => Assert.Contains("cannot connect to node pg", l, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", service.Output, StringComparison.Ordinal);

        await service.TerminateAsync();
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));

        await using var once = ReplProcess.Start(replication.ConfigPath, deadSlave, "replay", "--node", "pg", "--once");
        Assert.Equal(2, await once.WaitForExitAsync(StartLimit));
        Assert.Contains("cannot connect to node pg", once.Output, StringComparison.Ordinal);
    }

    private static async Task<Replication> InitializedAsync([CallerMemberName] string test = "")
    {
        var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql],
            ["CREATE TABLE items (id integer PRIMARY KEY, label text)", "INSERT INTO items VALUES (1, 'one')"],
            [("items", "log")], test);
        await replication.ReplOkAsync("init");
        return replication;
    }

    private static async Task WaitForRowOnSlaveAsync(Replication replication, int id, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        await using var slave = await replication.OpenNodeAsync("pg");
        await using var command = slave.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT COUNT(*) FROM items WHERE id = {id}");
        while (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0)
        {
            Assert.True(clock.Elapsed < limit, $"row {id} did not reach the slave within {limit.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    private static double RetryDelay(string line)
    {
        var match = Regex.Match(line, @"retrying in ([0-9.]+) s", RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"no retry delay in: {line}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // A port nothing listens on: bound once by the system, then released.
    private static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
