using System.Text.Json;
using Repl.Status;

namespace Repl.Tests.Cli;

/// <summary>How <c>repl status</c> turns lags into Nagios verdicts, and the JSON shape monitoring reads.</summary>
public sealed class StatusVerdictTests
{
    private static NodeStatus Node(string name, double lag, bool loaded = true, bool configured = true) =>
        new(name, configured, true, loaded, new DateTime(2026, 11, 29, 11, 40, 1, 123, DateTimeKind.Utc), 2.5, 3, 4, lag,
            [new TableStatus("public.alpha", 3, 4, lag)]);

    [Theory]
    [InlineData(59.9, 0)]
    [InlineData(60, 1)]
    [InlineData(299.9, 1)]
    [InlineData(300, 2)]
    public void The_largest_lag_is_judged_against_warn_and_crit(double lag, int exitCode)
    {
        var (level, summary) = StatusReader.Judge([Node("a", 1), Node("b", lag)], new StatusThresholds(60, 300));

        Assert.Equal(exitCode, (int)level);
        Assert.Contains("on b", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_thresholds_any_lag_is_ok()
    {
        Assert.Equal(StatusLevel.Ok, StatusReader.Judge([Node("a", 1e6)], new StatusThresholds(null, null)).Level);
    }

    [Fact]
    public void A_configured_node_without_initial_load_is_critical_naming_it()
    {
        var (level, summary) = StatusReader.Judge([Node("a", 0), Node("fresh", 0, loaded: false)], new StatusThresholds(null, null));

        Assert.Equal(StatusLevel.Critical, level);
        Assert.Contains("fresh", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_names_every_field_and_writes_times_in_utc()
    {
        var report = new StatusReport(StatusLevel.Warning, "lag 61.0 s on a", new StatusThresholds(60, null), [Node("a", 61)], "a");

        using var json = JsonDocument.Parse(StatusJson.Write(report));
        var root = json.RootElement;

        Assert.Equal("WARNING", root.GetProperty("status").GetString());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("thresholds").GetProperty("critSeconds").ValueKind);
        Assert.Equal("a", root.GetProperty("purgeHeldBackBy").GetString());
        var node = root.GetProperty("nodes")[0];
        Assert.Equal("2026-11-29T11:40:01.123Z", node.GetProperty("lastCycleAt").GetString());
        Assert.Equal(61, node.GetProperty("lagSeconds").GetDouble());
        Assert.Equal("public.alpha", node.GetProperty("tables")[0].GetProperty("table").GetString());
    }

    [Fact]
    public void Unknown_reports_carry_the_reason_and_exit_code_3()
    {
        using var json = JsonDocument.Parse(StatusJson.Write(StatusReport.Unknown("master unreachable", new StatusThresholds(null, null))));

        Assert.Equal("UNKNOWN", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("master unreachable", json.RootElement.GetProperty("summary").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("nodes").GetArrayLength());
    }
}
