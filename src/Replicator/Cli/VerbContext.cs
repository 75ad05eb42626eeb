using System.CommandLine;
using Repl.Configuration;
using Repl.Connections;

namespace Repl.Cli;

/// <summary>What a verb gets to work with: its parsed command line, the output, the configuration and the databases.</summary>
internal sealed class VerbContext(
    ParseResult parseResult,
    IConsoleOutput output,
    string configPath,
    bool dryRun,
    IReadOnlyDictionary<string, string?> environment,
    IDatabaseConnector connector)
{
    private readonly List<string> _secrets = [];

    /// <summary>The parsed command line; read the verb's own options with <c>ParseResult.GetValue(option)</c>.</summary>
    public ParseResult ParseResult { get; } = parseResult;

    /// <summary>Where to write.</summary>
    public IConsoleOutput Output { get; } = output;

    /// <summary>The config file named by <c>--config</c> (default <c>repl.json</c>).</summary>
    public string ConfigPath { get; } = configPath;

    /// <summary>True when <c>--dry-run</c> was given: print the SQL per database and change nothing.</summary>
    public bool DryRun { get; } = dryRun;

    /// <summary>Opens connections to the master and the nodes.</summary>
    public IDatabaseConnector Connector { get; } = connector;

    /// <summary>Passwords of the loaded configuration, scrubbed from any error text before it is printed.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>Loads and validates the configuration (a <see cref="ConfigException"/> lists every problem).</summary>
    public ReplConfig LoadConfig()
    {
        var config = ConfigLoader.Load(ConfigPath, environment);
        _secrets.AddRange(config.Nodes.Select(n => n.ConnectionString).Append(config.Master.ConnectionString).SelectMany(ConnectionStrings.Secrets));
        return config;
    }
}
