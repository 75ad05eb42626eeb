using System.Net;
using System.Net.Sockets;
using Repl.Cli;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.TestSupport;

namespace Repl.IntegrationTests.Status;

/// <summary>
/// With <c>replay.metricsPort</c> set (here through its REPL_ environment override), the replay service answers a
/// Prometheus scrape with the text format: the lag and pending work of its node, rows applied per table, cycle durations.
/// </summary>
public sealed class The_replay_service_serves_prometheus_metrics_with_the_lag_of_its_node
{
    [Fact]
    public async Task A_scrape_returns_the_text_format_with_the_lag_of_the_node()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] schema = ["CREATE TABLE alpha (id integer PRIMARY KEY, v varchar(20))"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], schema, [("alpha", "log")]);
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("INSERT INTO alpha VALUES (1, 'one'), (2, 'two')");

        var port = FreePort();
        var environment = new Dictionary<string, string?> { ["REPL_replay__metricsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var output = new RecordingOutput();
        var service = new ReplCommandLine(output, environment).InvokeAsync(["replay", "--node", "lite", "--config", replication.ConfigPath], stop.Token);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // The lag is read right after the cycle that applied the rows: wait for both.
        while (DateTime.UtcNow < deadline
            && !(text.Contains("repl_rows_applied_total{node=\"lite\",table=\"public.alpha\"} 2", StringComparison.Ordinal)
                && text.Contains("repl_lag_seconds{node=\"lite\"}", StringComparison.Ordinal)))
        {
            Assert.False(service.IsCompleted, $"the service stopped: {output.Text}\n{output.ErrorText}");
            try
            {
                text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), ct);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, ct);
        }
        await stop.CancelAsync();
        await service;

        TestContext.Current.TestOutputHelper?.WriteLine(text);
        Assert.Contains("# TYPE repl_lag_seconds gauge", text, StringComparison.Ordinal);
        Assert.Contains("repl_lag_seconds{node=\"lite\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("repl_pending_transactions{node=\"lite\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("repl_rows_applied_total{node=\"lite\",table=\"public.alpha\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("repl_transactions_applied_total{node=\"lite\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE repl_cycle_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("repl_table_lag_seconds{node=\"lite\",table=\"public.alpha\"}", text, StringComparison.Ordinal);
        Assert.Contains("repl_cycle_errors_total{node=\"lite\"} 0", text, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
