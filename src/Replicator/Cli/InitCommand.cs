using System.CommandLine;
using Repl.Engine;

namespace Repl.Cli;

/// <summary><c>repl init</c>: instrument the master, create slave tables and apply routines, load every new node.</summary>
internal sealed class InitCommand : IVerb
{
    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["init"];

    /// <inheritdoc />
    public string Description =>
        "Instrument the master (change logs, triggers, per-node processed tables), create the slave tables and their apply " +
        "routines (twin tables for snapshot-mode tables), and copy every log-mode table to each node not loaded yet from one master " +
        "snapshot. Safe to run again: it does only what is missing; a column added at the end of a master table is added on every " +
        "node and that table copied again. A new node in the config is loaded by the next init.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols { get; } = [];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken) =>
        new Installer(context.LoadConfig(), context.Connector, context.Output).RunAsync(context.DryRun, cancellationToken);
}
