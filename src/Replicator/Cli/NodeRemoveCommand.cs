using System.CommandLine;
using Repl.Operations;

namespace Repl.Cli;

/// <summary><c>repl node remove NAME [--drop-slave-objects]</c>: forget a node on the master so purge no longer waits for it.</summary>
internal sealed class NodeRemoveCommand : IVerb
{
    private readonly Argument<string> _name = new("name")
    {
        Description = "The node to remove, as registered on the master (it may already be gone from the config).",
    };

    private readonly Option<bool> _dropSlaveObjects = new("--drop-slave-objects")
    {
        Description = "Also drop repl's apply routines on the node, when it is still in the config and reachable. Its tables and rows are never dropped.",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["node", "remove"];

    /// <inheritdoc />
    public string Description =>
        "Remove a node from the master: drop its processed-transaction table and its registry row, so repl purge no longer keeps " +
        "log rows for it (a dead slave cannot hold the logs forever). Refused while its replay service runs. Remove it from the " +
        "config too, or the next repl init adds it again.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_name, _dropSlaveObjects];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken) =>
        new NodeAdmin(context.LoadConfig(), context.Connector, context.Output)
            .RemoveAsync(context.ParseResult.GetValue(_name)!, context.ParseResult.GetValue(_dropSlaveObjects), context.DryRun, cancellationToken);
}
