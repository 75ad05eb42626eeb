namespace Repl.Configuration;

/// <summary>The validated configuration of one repl installation (DESIGN §3); built only by <see cref="ConfigLoader"/>.</summary>
internal sealed record ReplConfig(
    string File,
    MasterConfig Master,
    IReadOnlyList<TableConfig> Tables,
    IReadOnlyList<NodeConfig> Nodes,
    ReplayConfig Replay)
{
    /// <summary>How the replay services purge the logs (<c>purge</c> section).</summary>
    public PurgeConfig Purge { get; init; } = PurgeConfig.Default;

    /// <summary>The node with this name (names are unique ignoring case); a <see cref="ConfigException"/> names the known ones otherwise.</summary>
    public NodeConfig Node(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ConfigException(File, [$"nodes: no node named \"{name}\"; configured nodes: {string.Join(", ", Nodes.Select(n => n.Name))}"]);
}

/// <summary>How often and in what batches the replay service works, and where it serves its metrics.</summary>
/// <param name="Interval">Time between cycles.</param>
/// <param name="BatchSize">Rows per apply batch.</param>
/// <param name="MetricsPort">TCP port of the Prometheus endpoint <c>/metrics</c>; null serves none.</param>
internal sealed record ReplayConfig(TimeSpan Interval, int BatchSize, int? MetricsPort = null)
{
    /// <summary>The values used when the config file has no <c>replay</c> section.</summary>
    public static ReplayConfig Default { get; } = new(TimeSpan.FromSeconds(5), 10_000);
}

/// <summary>How often replay services purge the master's logs (null: never) and how many rows one purge batch deletes.</summary>
internal sealed record PurgeConfig(TimeSpan? Interval, int BatchSize)
{
    /// <summary>The values used when the config file has no <c>purge</c> section: every 10 minutes, 5,000 rows per batch.</summary>
    public static PurgeConfig Default { get; } = new(TimeSpan.FromMinutes(10), 5_000);
}
