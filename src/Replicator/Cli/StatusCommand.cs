using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Repl.Configuration;
using Repl.Dialects;
using Repl.Schema;
using Repl.Status;

namespace Repl.Cli;

/// <summary>
/// <c>repl status</c>: per node and table, pending transactions and log rows, lag, last cycle, and the node purge waits for;
/// a Nagios-compatible check (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Reads the master only.
/// </summary>
internal sealed class StatusCommand : IVerb
{
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the status as JSON (shape documented in the README) instead of tables.",
    };

    private readonly Option<double?> _warn = new("--warn")
    {
        HelpName = "SECONDS",
        Description = "Exit 1 (WARNING) when a node's lag (age of its oldest unprocessed change) reaches this many seconds.",
    };

    private readonly Option<double?> _crit = new("--crit")
    {
        HelpName = "SECONDS",
        Description = "Exit 2 (CRITICAL) when a node's lag reaches this many seconds.",
    };

    private readonly Option<string?> _node = new("--node")
    {
        HelpName = "NAME",
        Description = "Look at this node only (configured, or registered on the master); default: every node.",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["status"];

    /// <inheritdoc />
    public string Description =>
        "Show, per node and table, pending transactions and rows, lag in seconds (oldest unprocessed change, master clock), " +
        "the last replay cycle and the node purge waits for. Nagios exit codes: 0 OK, 1 WARNING (lag >= --warn), " +
        "2 CRITICAL (lag >= --crit, or a configured node never initialised), 3 UNKNOWN (bad config, master unreachable or " +
        "not initialised). Reads only the master: a few queries per node however many tables.";

    /// <inheritdoc />
    public bool ChangesDatabases => false;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_json, _warn, _crit, _node];

    /// <inheritdoc />
    public async Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
    {
        var thresholds = new StatusThresholds(context.ParseResult.GetValue(_warn), context.ParseResult.GetValue(_crit));
        var report = Check(thresholds) is { } problem
            ? StatusReport.Unknown(problem, thresholds)
            : await ReadAsync(context, thresholds, context.ParseResult.GetValue(_node), cancellationToken);
        if (context.ParseResult.GetValue(_json))
            context.Output.WriteLine(StatusJson.Write(report));
        else
            WriteText(context.Output, report);
        return report.Level switch
        {
            StatusLevel.Ok => NagiosExitCodes.Ok,
            StatusLevel.Warning => NagiosExitCodes.Warning,
            StatusLevel.Critical => NagiosExitCodes.Critical,
            _ => NagiosExitCodes.Unknown,
        };
    }

    private static string? Check(StatusThresholds thresholds)
    {
        if (thresholds.WarnSeconds is < 0 || thresholds.CritSeconds is < 0)
            return "--warn and --crit are seconds and cannot be negative";
        if (thresholds.WarnSeconds is { } warn && thresholds.CritSeconds is { } crit && warn > crit)
            return string.Create(CultureInfo.InvariantCulture, $"--warn {warn} is above --crit {crit}; the warning limit must not exceed the critical one");
        return null;
    }

    // Anything that keeps status from reading the master is UNKNOWN to monitoring, never CRITICAL: a check that cannot look
    // must not claim the replication is broken.
    private static async Task<StatusReport> ReadAsync(VerbContext context, StatusThresholds thresholds, string? node, CancellationToken cancellationToken)
    {
        try
        {
            var config = context.LoadConfig();
            var master = VendorDialects.For(config.Master.Provider);
            await using var connection = await context.Connector.OpenAsync(config.Master, cancellationToken);
            return await new StatusReader(master).ReadAsync(connection, config, node, thresholds, cancellationToken);
        }
        catch (ConfigException e)
        {
            return StatusReport.Unknown(e.Message.ReplaceLineEndings(" "), thresholds);
        }
        catch (Exception e) when (e is ReplException or SchemaException or DbException or TimeoutException)
        {
            return StatusReport.Unknown(ConnectionStrings.Scrub(e.Message, context.Secrets).ReplaceLineEndings(" "), thresholds);
        }
    }

    private static void WriteText(IConsoleOutput output, StatusReport report)
    {
        output.WriteLine($"{StatusJson.Name(report.Level)}: {report.Summary}");
        if (report.Level == StatusLevel.Unknown)
            return;

        output.WriteTable(
            ["node", "state", "last cycle (UTC)", "since", "pending txns", "pending rows", "lag"],
            [.. report.Nodes.Select(n => (IReadOnlyList<string>)
            [
                n.Name,
                State(n),
                n.LastCycleAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "never",
                n.SecondsSinceLastCycle is { } since ? Seconds(since) : "-",
                Count(n.PendingTransactions),
                Count(n.PendingRows),
                Seconds(n.LagSeconds),
            ])]);
        output.WriteLine(report.PurgeHeldBackBy is { } holder
            ? $"purge is held back by node {holder} (its oldest unprocessed change is the oldest log row purge must keep)"
            : "purge is held back by no node: nothing is pending");

        var pending = report.Nodes.SelectMany(n => n.Tables.Where(t => t.PendingRows > 0).Select(t => (Node: n.Name, Table: t)))
            .OrderBy(p => p.Node, StringComparer.Ordinal).ThenByDescending(p => p.Table.LagSeconds).ToList();
        if (pending.Count == 0)
        {
            output.WriteLine("no table has pending changes");
            return;
        }
        output.WriteTable(
            ["node", "table", "pending txns", "pending rows", "lag"],
            [.. pending.Select(p => (IReadOnlyList<string>)
                [p.Node, p.Table.Table, Count(p.Table.PendingTransactions), Count(p.Table.PendingRows), Seconds(p.Table.LagSeconds)])]);
    }

    private static string State(NodeStatus node) => (node.Registered, node.Loaded, node.Configured) switch
    {
        (false, _, _) => "not registered: run repl init",
        (true, false, _) => "initial load not completed",
        (true, true, false) => "replicating, not in config",
        _ => "replicating",
    };

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
