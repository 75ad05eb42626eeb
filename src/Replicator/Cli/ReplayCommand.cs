using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Repl.Replay;

namespace Repl.Cli;

/// <summary>
/// <c>repl replay --node N</c>: the long-running replay service of one slave (one process per node is the documented
/// way; see examples/ for the systemd unit), or <c>--once</c> for a single cycle.
/// </summary>
internal sealed class ReplayCommand : IVerb
{
    private readonly Option<string> _node = new("--node")
    {
        Required = true,
        HelpName = "NAME",
        Description = "The node (slave) to replay, as named under \"nodes\" in the config.",
    };

    private readonly Option<bool> _once = new("--once")
    {
        Description = "Run one cycle, print what it applied and exit: 0 when everything the master had committed at its start is applied; " +
            "exits 2 at once if a replay service holds the node's lock.",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["replay"];

    /// <inheritdoc />
    public string Description =>
        "Apply the master's committed changes to one node: every replay.interval (earlier when a PostgreSQL master notifies), " +
        "one master snapshot and one slave transaction per cycle, so the node always equals the master as of one moment. Runs until " +
        "SIGTERM/Ctrl-C (the cycle in flight is rolled back); logs one line per applied cycle and per failure, and retries failures " +
        "with backoff (1 s doubling to 60 s). Under systemd it reports readiness (Type=notify). One replay per node at a time: it " +
        "holds the node's lock on the master.";

    /// <inheritdoc />
    public bool ChangesDatabases => false;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_node, _once];

    /// <inheritdoc />
    public async Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        var node = config.Node(context.ParseResult.GetValue(_node)!);
        await using var runner = new ReplayRunner(config, node, context.Connector);

        if (context.ParseResult.GetValue(_once))
        {
            var result = await runner.RunCycleAsync(cancellationToken);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node {node.Name}: applied {result.Transactions} transaction(s), {result.RowsApplied} row(s) upserted, {result.RowsDeleted} deleted in {result.Duration.TotalSeconds:0.000} s"));
            return ExitCodes.Success;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Services.AddSystemd();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
        });
        builder.Services.AddSingleton(runner);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(node);
        builder.Services.AddHostedService<ReplayService>();
        using var metrics = config.Replay.MetricsPort is { } port ? new ReplayMetrics(node.Name, port) : null;
        if (metrics is not null)
        {
            metrics.Start();
            builder.Services.AddSingleton(metrics);
        }
        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
