using System.CommandLine;
using Repl.Engine;

namespace Repl.Cli;

/// <summary><c>repl uninstall [--nodes]</c>: remove what init created on the master (and the nodes' apply routines); never user data.</summary>
internal sealed class UninstallCommand : IVerb
{
    private readonly Option<bool> _nodes = new("--nodes")
    {
        Description = "Also drop the apply routines on every configured node. Give it on the first run: afterwards the master " +
            "no longer records what repl created. Slave tables and their rows are never dropped.",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["uninstall"];

    /// <inheritdoc />
    public string Description =>
        "Remove what repl init created on the master: triggers, trigger routines, change logs, per-node processed tables and the " +
        "registries, also for tables no longer in the config. Never touches user tables or their rows; slave tables stay, as they are " +
        "user data. Stop the replay services first. Safe to run again.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_nodes];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken) =>
        new Uninstaller(context.LoadConfig(), context.Connector, context.Output)
            .RunAsync(context.ParseResult.GetValue(_nodes), context.DryRun, cancellationToken);
}
