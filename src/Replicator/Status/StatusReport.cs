namespace Repl.Status;

/// <summary>The verdict of <c>repl status</c>, with its Nagios exit code (DESIGN §3).</summary>
internal enum StatusLevel
{
    /// <summary>Every node is within its limits (exit 0).</summary>
    Ok = 0,

    /// <summary>The lag reached the warning limit (exit 1).</summary>
    Warning = 1,

    /// <summary>The lag reached the critical limit, or a configured node was never initialised (exit 2).</summary>
    Critical = 2,

    /// <summary>The state could not be read: bad config, unreachable or uninitialised master (exit 3).</summary>
    Unknown = 3,
}

/// <summary>Pending work of one node in one table's change log.</summary>
/// <param name="Table">The master table, as named in the master catalog.</param>
/// <param name="PendingTransactions">Transactions in the log the node has not processed.</param>
/// <param name="PendingRows">Log rows of those transactions.</param>
/// <param name="LagSeconds">Age of the oldest such row by the master's clock; 0 when nothing is pending.</param>
internal sealed record TableStatus(string Table, long PendingTransactions, long PendingRows, double LagSeconds);

/// <summary>One node as the master sees it.</summary>
/// <param name="Name">The node name.</param>
/// <param name="Configured">Whether the config names it (a registered node missing from the config still holds purge back).</param>
/// <param name="Registered">Whether the master's node registry has it (repl init registered it).</param>
/// <param name="Loaded">Whether its initial load committed.</param>
/// <param name="LastCycleAt">When its last replay cycle committed (UTC, master clock), null before the first.</param>
/// <param name="SecondsSinceLastCycle">Seconds since then by the master's clock.</param>
/// <param name="PendingTransactions">Transactions it has not processed, over all tables (one that changed several tables counts once).</param>
/// <param name="PendingRows">Log rows of those transactions over all tables.</param>
/// <param name="LagSeconds">Age of its oldest unprocessed change; 0 when nothing is pending.</param>
/// <param name="Tables">Every registered log-mode table, in registry order.</param>
internal sealed record NodeStatus(
    string Name,
    bool Configured,
    bool Registered,
    bool Loaded,
    DateTime? LastCycleAt,
    double? SecondsSinceLastCycle,
    long PendingTransactions,
    long PendingRows,
    double LagSeconds,
    IReadOnlyList<TableStatus> Tables);

/// <summary>The lag limits of <c>--warn</c> and <c>--crit</c>, in seconds; null when not given.</summary>
internal sealed record StatusThresholds(double? WarnSeconds, double? CritSeconds);

/// <summary>What <c>repl status</c> found: every node, the node holding purge back, and the verdict.</summary>
/// <param name="Level">The verdict.</param>
/// <param name="Summary">One line for humans and monitoring, e.g. <c>lag 3.2 s on pg1</c>.</param>
/// <param name="Thresholds">The limits the verdict was judged by.</param>
/// <param name="Nodes">Every node looked at, by name.</param>
/// <param name="PurgeHeldBackBy">The node with the oldest unprocessed change, which purge waits for; null when none is pending.</param>
internal sealed record StatusReport(
    StatusLevel Level,
    string Summary,
    StatusThresholds Thresholds,
    IReadOnlyList<NodeStatus> Nodes,
    string? PurgeHeldBackBy)
{
    /// <summary>The report of a status that could not be read, e.g. an unreachable master.</summary>
    public static StatusReport Unknown(string reason, StatusThresholds thresholds) => new(StatusLevel.Unknown, reason, thresholds, [], null);

    /// <summary>The largest lag over all nodes, in seconds.</summary>
    public double LagSeconds => Nodes.Count == 0 ? 0 : Nodes.Max(n => n.LagSeconds);
}
