using System.CommandLine;
using Repl.Operations;

namespace Repl.Cli;

/// <summary><c>repl node add NAME</c>: register a node already in repl.json on the master and load it from one snapshot.</summary>
internal sealed class NodeAddCommand : IVerb
{
    private readonly Argument<string> _name = new("name")
    {
        Description = "The node to add, as named under \"nodes\" in the config (add it there first: provider and connectionString).",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["node", "add"];

    /// <inheritdoc />
    public string Description =>
        "Add a node that is in the config but not yet on the master: create its processed-transaction table on the master, its " +
        "tables and apply routines on the slave, and load it from one master snapshot, as repl init does for that node alone. " +
        "Refused when a table changed on the master since init (run repl init then). Then start its replay service.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_name];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken) =>
        new NodeAdmin(context.LoadConfig(), context.Connector, context.Output)
            .AddAsync(context.ParseResult.GetValue(_name)!, context.DryRun, cancellationToken);
}
