using System.CommandLine;

namespace Repl.Cli;

/// <summary>
/// One verb of <c>repl</c>, in a sealed class of its own; registering it is one line in <see cref="ReplCommandLine.Verbs"/>.
/// The command line (global options, <c>--dry-run</c>, error handling, exit code on failure) is built around it.
/// </summary>
internal interface IVerb
{
    /// <summary>The words that invoke it, e.g. <c>["config", "show"]</c>; leading words are groups described in <see cref="ReplCommandLine.Groups"/>.</summary>
    IReadOnlyList<string> Words { get; }

    /// <summary>One sentence for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>Whether it changes databases; such verbs get <c>--dry-run</c> and must then only print the SQL per database.</summary>
    bool ChangesDatabases { get; }

    /// <summary>Its own options and arguments (the global <c>--config</c> and <c>--verbose</c> come from the root).</summary>
    IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>Does the work and returns an exit code from <see cref="ExitCodes"/> (or <see cref="NagiosExitCodes"/>).</summary>
    Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken);
}
