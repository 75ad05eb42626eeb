using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Engine;
using Repl.Schema;

namespace Repl.Verify;

/// <summary>
/// <c>repl verify</c>: compares every selected table on the master with each selected node. The master is read in ONE
/// snapshot transaction and each node in ONE read transaction, each over one connection reused for every table (no
/// connection per table: 1,200 tables cost 1,200 queries per side, not 1,200 connects). The master side and the nodes
/// are read at the same time, at most <see cref="NodesAtOnce"/> nodes at once. The pending transactions of each node are
/// counted in the master snapshot, so a DBA can tell lag from damage.
/// </summary>
internal sealed class VerifyJob(ReplConfig config, IDatabaseConnector connector)
{
    /// <summary>Nodes read at the same time.</summary>
    public const int NodesAtOnce = 4;

    /// <summary>Compares and returns the report; throws <see cref="ReplException"/> or <see cref="ConfigException"/> on bad input.</summary>
    public async Task<VerifyReport> RunAsync(IReadOnlyList<string> nodeNames, IReadOnlyList<string> tableNames, int maxKeys,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var nodes = nodeNames.Count == 0 ? config.Nodes : nodeNames.Distinct(StringComparer.OrdinalIgnoreCase).Select(config.Node).ToList();
        var selected = SelectTables(tableNames);
        var masterDialect = VendorDialects.For(config.Master.Provider);
        var capture = masterDialect.Capture ?? throw new ReplException(
            $"master: {VendorNames.Of(config.Master.Provider)} cannot be a master; masters are postgresql, mysql and oracle.");

        var masterConnection = await connector.OpenAsync(config.Master, cancellationToken);
        List<ReplicatedTable> tables;
        try
        {
            var registry = await MasterRegistry.ReadAsync(masterDialect, masterConnection, cancellationToken);
            var notLoaded = nodes.Where(n => !registry.IsLoaded(n.Name)).Select(n => n.Name).ToList();
            if (notLoaded.Count > 0)
                throw new ReplException($"node(s) {string.Join(", ", notLoaded)}: the master has no completed initial load; run repl init first, then verify.");
            var resolved = await TableResolver.ResolveAsync(config with { Tables = selected }, masterDialect.Schema, masterConnection, cancellationToken);
            tables = resolved.Select(r => capture.Describe(r.Definition, r.Config.Mode)).ToList();
        }
        catch
        {
            await masterConnection.DisposeAsync();
            throw;
        }

        await using var master = await TableSide.BeginAsync(masterDialect, masterConnection, cancellationToken);
        var pending = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var node in nodes)
            pending[node.Name] = await PendingAsync(masterDialect, capture, master, tables, node.Name, cancellationToken);

        // One master connection serves the first pass and then, one table at a time, every node's search for differing keys.
        using var masterGate = new SemaphoreSlim(1, 1);
        async Task<IDisposable> LockMasterAsync()
        {
            await masterGate.WaitAsync(cancellationToken);
            return new Release(masterGate);
        }

        var masterSums = Task.Run(async () =>
        {
            using var held = await LockMasterAsync();
            var verifier = new TableVerifier(maxKeys);
            var sums = new List<SideSummary>(tables.Count);
            foreach (var table in tables)
                sums.Add(await verifier.ChecksumAsync(master, table.Source, table.Source.Name, cancellationToken));
            return sums;
        }, cancellationToken);

        using var slots = new SemaphoreSlim(NodesAtOnce, NodesAtOnce);
        var nodeResults = Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await VerifyNodeAsync(node, tables, master, masterSums, LockMasterAsync, pending[node.Name], maxKeys, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }, cancellationToken)));
        try
        {
            return new VerifyReport(await nodeResults, maxKeys, clock.Elapsed);
        }
        finally
        {
            // When a node fails, the master pass may still be reading: let it end before its connection is closed.
            await Task.WhenAny(masterSums);
        }
    }

    private async Task<NodeResult> VerifyNodeAsync(NodeConfig node, List<ReplicatedTable> tables, TableSide master,
        Task<List<SideSummary>> masterSums, Func<Task<IDisposable>> lockMaster, long pending, int maxKeys, CancellationToken cancellationToken)
    {
        var dialect = VendorDialects.For(node.Provider);
        var connection = await connector.OpenAsync(node, cancellationToken);
        await using var side = await TableSide.BeginAsync(dialect, connection, cancellationToken);
        var verifier = new TableVerifier(maxKeys);
        var sums = new List<SideSummary>(tables.Count);
        foreach (var table in tables)
            sums.Add(await Named(node, table, () => verifier.ChecksumAsync(side, table.Source, table.SlaveName, cancellationToken)));
        var masters = await masterSums;
        var results = new List<TableResult>(tables.Count);
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            var differences = masters[i] == sums[i]
                ? null
                : await Named(node, table, () => verifier.DiffAsync(master, table, masters[i], side, lockMaster, cancellationToken));
            results.Add(new TableResult(table.Source.Name, table.Mode, table.SlaveName, masters[i], sums[i], differences));
        }
        return new NodeResult(node.Name, node.Provider, pending, results);
    }

    // A node table repl cannot read (dropped, renamed, not created by init) is named with what to do.
    private static async Task<T> Named<T>(NodeConfig node, ReplicatedTable table, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (DbException e)
        {
            throw new ReplException($"node {node.Name}: table {table.SlaveName} (copy of {table.Source.Name}) could not be read: {e.Message}. " +
                "If it is missing, run repl init; if it was changed by hand, repl resync can copy it again.", e);
        }
    }

    // Distinct transactions in the logs of the selected log-mode tables that the node has not processed, in the master
    // snapshot: one query for every table, whatever their number.
    private static async Task<long> PendingAsync(VendorDialect dialect, ICapture capture, TableSide master, IReadOnlyList<ReplicatedTable> tables,
        string node, CancellationToken cancellationToken)
    {
        var logs = tables.Where(t => t.Mode == TableMode.Log).ToList();
        if (logs.Count == 0)
            return 0;
        var ids = dialect.Schema.Identifiers;
        await using var command = master.Connection.CreateCommand();
        command.Transaction = master.Transaction;
        command.CommandText =
            $"SELECT COUNT(*) FROM ({string.Join("\nUNION\n", logs.Select(t => $"SELECT txid FROM {ids.Quote(t.LogName)}"))}) l " +
            $"WHERE NOT EXISTS (SELECT 1 FROM {ids.Quote(capture.ProcessedTable(node))} p WHERE p.txid = l.txid)";
        command.CommandTimeout = 0;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private List<TableConfig> SelectTables(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return [.. config.Tables];
        var problems = new List<string>();
        var selected = new List<TableConfig>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var wanted = DbObjectName.Parse(name);
            var matches = config.Tables.Where(t => string.Equals(t.Name.Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
                && (wanted.Schema is null || string.Equals(t.Name.Schema, wanted.Schema, StringComparison.OrdinalIgnoreCase))).ToList();
            if (matches.Count == 0)
                problems.Add($"table {name} is not among the config's tables ({string.Join(", ", config.Tables.Select(t => t.Name))}).");
            else if (matches.Count > 1)
                problems.Add($"table {name} matches {string.Join(" and ", matches.Select(m => m.Name))} in the config; write it as schema.table.");
            else if (!selected.Contains(matches[0]))
                selected.Add(matches[0]);
        }
        if (problems.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "Nothing was verified.");
        return selected;
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
