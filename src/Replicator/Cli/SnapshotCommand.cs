using System.CommandLine;
using Repl.Snapshot;

namespace Repl.Cli;

/// <summary>
/// <c>repl snapshot T [T…] [--node N]</c>: copy snapshot-mode tables whole into their twin tables on every node (or one)
/// and flip each view, typically from cron (examples/cron/repl-snapshot.cron).
/// </summary>
internal sealed class SnapshotCommand : IVerb
{
    private readonly Argument<string[]> _tables = new("table")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "Tables configured with \"mode\": \"snapshot\", as named in the config (case-insensitive; schema.table accepted).",
    };

    private readonly Option<string> _node = new("--node")
    {
        HelpName = "NAME",
        Description = "Only this node (slave), as named under \"nodes\" in the config; every node when left out.",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["snapshot"];

    /// <inheritdoc />
    public string Description =>
        "Copy snapshot-mode tables whole from the master: on each node, load the twin table the view <t> does not read " +
        "(<t>_snap1 or <t>_snap2) with the vendor's bulk path from one master statement, then point the view at it. Readers " +
        "never see an empty or half-loaded table; a failed or killed run leaves the previous snapshot readable, and a second " +
        "run of the same table at the same time refuses (SQLite: waits). Prints rows and time per node; exit 2 when any failed.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_tables, _node];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        return new SnapshotJob(config, context.Connector, context.Output, context.Secrets)
            .RunAsync(context.ParseResult.GetValue(_tables) ?? [], context.ParseResult.GetValue(_node), context.DryRun, cancellationToken);
    }
}
