using System.Data.Common;
using System.Globalization;
using Repl.Configuration;
using Repl.Dialects;
using Repl.Engine;

namespace Repl.Status;

/// <summary>
/// Reads replication status from the master alone: the registries, then per node ONE query over every log (a UNION ALL
/// of per-log aggregates) and, when several logs have pending work, one more that counts their distinct transactions; a
/// master with a thousand tables answers in a handful of round trips.
/// Slaves are never contacted: what a node has processed is recorded on the master.
/// </summary>
internal sealed class StatusReader(VendorDialect master)
{
    private readonly IMasterReader _reader = master.Master ?? throw new InvalidOperationException($"{master.Vendor} cannot be a master.");

    /// <summary>
    /// Reads the status of <paramref name="onlyNode"/>, or of every configured and every registered node when null, and
    /// judges it by <paramref name="thresholds"/>.
    /// </summary>
    public async Task<StatusReport> ReadAsync(DbConnection connection, ReplConfig config, string? onlyNode, StatusThresholds thresholds,
        CancellationToken cancellationToken)
    {
        var registry = await MasterRegistry.ReadAsync(master, connection, cancellationToken);
        if (!registry.Exists)
            return StatusReport.Unknown("the master has no repl registry; run repl init first", thresholds);
        if (!registry.IsCurrent)
            return StatusReport.Unknown("the master's repl registry was created by an earlier repl; run repl init to add the columns this version uses", thresholds);

        var tables = registry.Tables
            .Select(t => master.Capture!.Describe(ColumnSignature.Recorded(t.Table, t.Signature), TableMode.Log))
            .ToList();
        var registered = new Dictionary<string, (bool Loaded, DateTime? LastCycleAt, double? Since)>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in RowsAsync(connection, _reader.NodesQuery, cancellationToken))
            registered[Text(row[0])] = (Convert.ToBoolean(row[1], CultureInfo.InvariantCulture), Timestamp(row[2]), Number(row[3]));

        var names = config.Nodes.Select(n => n.Name)
            .Concat(registered.Keys.Where(r => !config.Nodes.Any(n => string.Equals(n.Name, r, StringComparison.OrdinalIgnoreCase))))
            .ToList();
        if (onlyNode is not null)
        {
            var match = names.FirstOrDefault(n => string.Equals(n, onlyNode, StringComparison.OrdinalIgnoreCase))
                ?? throw new ConfigException(config.File,
                    [$"--node: no node named \"{onlyNode}\" in the config or on the master; known nodes: {string.Join(", ", names)}"]);
            names = [match];
        }

        var nodes = new List<NodeStatus>();
        foreach (var name in names)
        {
            var configured = config.Nodes.Any(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
            if (!registered.TryGetValue(name, out var state))
            {
                nodes.Add(new NodeStatus(name, configured, false, false, null, null, 0, 0, 0, []));
                continue;
            }
            nodes.Add(await ReadNodeAsync(connection, tables, name, configured, state, cancellationToken));
        }

        var holder = nodes.Where(n => n.Registered && n.PendingRows > 0)
            .OrderByDescending(n => n.LagSeconds).ThenByDescending(n => n.PendingRows).FirstOrDefault();
        var (level, summary) = Judge(nodes, thresholds);
        return new StatusReport(level, summary, thresholds, nodes, holder?.Name);
    }

    /// <summary>The verdict: CRITICAL for a configured node never initialised, else by the largest lag against the limits.</summary>
    public static (StatusLevel Level, string Summary) Judge(IReadOnlyList<NodeStatus> nodes, StatusThresholds thresholds)
    {
        var uninitialised = nodes.Where(n => n.Configured && !n.Loaded).Select(n => n.Name).ToList();
        if (uninitialised.Count > 0)
            return (StatusLevel.Critical, $"node(s) {string.Join(", ", uninitialised)} have no completed initial load; run repl init");
        if (nodes.Count == 0)
            return (StatusLevel.Ok, "no nodes");

        var worst = nodes.OrderByDescending(n => n.LagSeconds).First();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"lag {worst.LagSeconds:0.0} s on {worst.Name}, {nodes.Sum(n => n.PendingTransactions)} pending transaction(s)");
        if (thresholds.CritSeconds is { } crit && worst.LagSeconds >= crit)
            return (StatusLevel.Critical, summary + string.Create(CultureInfo.InvariantCulture, $" (critical at {crit:0.###} s)"));
        if (thresholds.WarnSeconds is { } warn && worst.LagSeconds >= warn)
            return (StatusLevel.Warning, summary + string.Create(CultureInfo.InvariantCulture, $" (warning at {warn:0.###} s)"));
        return (StatusLevel.Ok, summary);
    }

    private async Task<NodeStatus> ReadNodeAsync(DbConnection connection, List<ReplicatedTable> tables, string name, bool configured,
        (bool Loaded, DateTime? LastCycleAt, double? Since) state, CancellationToken cancellationToken)
    {
        var perTable = new (long Transactions, long Rows, double Lag)[tables.Count];
        var pending = new List<int>();
        if (tables.Count > 0)
        {
            await foreach (var row in RowsAsync(connection, _reader.PendingQuery(tables, name), cancellationToken))
            {
                var index = Convert.ToInt32(row[0], CultureInfo.InvariantCulture);
                perTable[index] = (Convert.ToInt64(row[1], CultureInfo.InvariantCulture), Convert.ToInt64(row[2], CultureInfo.InvariantCulture),
                    Math.Max(0, Number(row[3]) ?? 0));
                pending.Add(index);
            }
        }
        // A transaction that changed several tables counts once: ask the master, over the logs with pending work only.
        var transactions = pending.Count switch
        {
            0 => 0,
            1 => perTable[pending[0]].Transactions,
            _ => Convert.ToInt64(await ScalarAsync(connection, _reader.PendingTransactionsQuery([.. pending.Select(i => tables[i])], name), cancellationToken),
                CultureInfo.InvariantCulture),
        };
        var total = (Transactions: transactions, Rows: perTable.Sum(t => t.Rows), Lag: perTable.Length == 0 ? 0 : perTable.Max(t => t.Lag));
        var tableStatus = tables.Select((t, i) => new TableStatus(t.Source.Name.ToString(), perTable[i].Transactions, perTable[i].Rows, perTable[i].Lag)).ToList();
        return new NodeStatus(name, configured, true, state.Loaded, state.LastCycleAt, state.Since,
            total.Transactions, total.Rows, total.Lag, tableStatus);
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    private static double? Number(object? value) =>
        value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    // The registry's times are UTC (PostgreSQL timestamptz; MariaDB written in repl's UTC session; Oracle through SYS_EXTRACT_UTC).
    private static DateTime? Timestamp(object? value) => value switch
    {
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        DateTimeOffset offset => offset.UtcDateTime,
        _ => null,
    };

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(DbConnection connection, string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            yield return row;
        }
    }
}
