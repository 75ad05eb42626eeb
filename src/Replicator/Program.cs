using Repl.Cli;
using Repl.Configuration;

namespace Repl;

/// <summary>Entry point of the <c>repl</c> command.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) =>
        new ReplCommandLine(SpectreConsoleOutput.ForProcess(), EnvironmentOverrides.Process()).InvokeAsync(args);
}
