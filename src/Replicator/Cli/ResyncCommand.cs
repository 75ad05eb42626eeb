using System.CommandLine;
using Repl.Operations;

namespace Repl.Cli;

/// <summary><c>repl resync --node N [--table T…]</c>: copy tables onto one node again from one master snapshot (DESIGN §7).</summary>
internal sealed class ResyncCommand : IVerb
{
    private readonly Option<string> _node = new("--node")
    {
        Required = true,
        HelpName = "NAME",
        Description = "The node (slave) to resync, as named under \"nodes\" in the config.",
    };

    private readonly Option<string[]> _tables = new("--table")
    {
        HelpName = "TABLE",
        AllowMultipleArgumentsPerToken = true,
        Description = "Only these tables, as named in the config (case-insensitive; schema.table accepted); repeatable. Every configured table when left out.",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["resync"];

    /// <inheritdoc />
    public string Description =>
        "Copy tables onto one node again from ONE master snapshot, as the initial load does: log-mode tables are emptied and " +
        "bulk-loaded inside one slave transaction (the node's other tables get their pending changes in the same cycle) and the " +
        "transactions visible in the snapshot are marked processed; snapshot-mode tables get a fresh snapshot. Repairs a slave " +
        "table damaged by hand. Takes the node's lock on the master: stop the node's replay service first.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_node, _tables];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken) =>
        new Resync(context.LoadConfig(), context.Connector, context.Output)
            .RunAsync(context.ParseResult.GetValue(_node)!, context.ParseResult.GetValue(_tables) ?? [], context.DryRun, cancellationToken);
}
