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

    private const int LogsPerQuery = 100;

    private const int MaxPendingCounted = 1_000_000;

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
        var recorded = new HashSet<ReplicatedTable>(ReferenceEqualityComparer.Instance);
        try
        {
            var registry = await MasterRegistry.ReadAsync(masterDialect, masterConnection, cancellationToken);
            var notLoaded = nodes.Where(n => !registry.IsLoaded(n.Name)).Select(n => n.Name).ToList();
            if (notLoaded.Count > 0)
                throw new ReplException($"node(s) {string.Join(", ", notLoaded)}: the master has no completed initial load; run repl init first, then verify.");
            tables = await DescribeAsync(masterDialect, capture, registry, selected, masterConnection, recorded, cancellationToken);
            CheckSchemas(tableNames, tables);
        }
        catch
        {
            await masterConnection.DisposeAsync();
            throw;
        }

        await using var master = await TableSide.BeginAsync(masterDialect, masterConnection, cancellationToken);
        await using var keys = new TableKeys(masterDialect, connector, config.Master, recorded);
        var pending = new Dictionary<string, (long Count, bool Capped)>(StringComparer.Ordinal);
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
            {
                try
                {
                    sums.Add(await verifier.ChecksumAsync(master, table.Source, table.Source.Name, cancellationToken));
                }
                catch (DbException e)
                {
                    throw new ReplException($"master: table {table.Source.Name} could not be read: {e.Message}. If its columns changed since " +
                        "repl init, run repl init (it says what it can and cannot follow), then verify.", e);
                }
            }
            return sums;
        }, cancellationToken);

        using var slots = new SemaphoreSlim(NodesAtOnce, NodesAtOnce);
        var nodeResults = Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await VerifyNodeAsync(node, tables, master, keys, masterSums, LockMasterAsync, pending[node.Name], maxKeys, cancellationToken);
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

    private async Task<NodeResult> VerifyNodeAsync(NodeConfig node, List<ReplicatedTable> tables, TableSide master, TableKeys keys,
        Task<List<SideSummary>> masterSums, Func<Task<IDisposable>> lockMaster, (long Count, bool Capped) pending, int maxKeys,
        CancellationToken cancellationToken)
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
                : await Named(node, table, async () => await verifier.DiffAsync(master, await keys.KeyedAsync(table, cancellationToken), masters[i], side,
                    lockMaster, cancellationToken));
            results.Add(new TableResult(table.Source.Name, table.Mode, table.SlaveName, masters[i], sums[i], differences));
        }
        return new NodeResult(node.Name, node.Provider, pending.Count, pending.Capped, results);
    }

    // A node table repl cannot read (dropped, renamed, not created by init) is named with what to do. The search for
    // differing keys reads the master table too; its errors land here as well, so the message names both.
    private static async Task<T> Named<T>(NodeConfig node, ReplicatedTable table, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (DbException e)
        {
            throw new ReplException($"node {node.Name}: table {table.SlaveName}, the copy of master table {table.Source.Name}, could not be " +
                $"compared: {e.Message}. If the copy is missing, run repl init; if it was changed by hand, repl resync can copy it again.", e);
        }
    }

    // Distinct transactions in the logs of the selected log-mode tables that the node has not processed, as the master
    // snapshot sees them. One UNION per LogsPerQuery logs: PostgreSQL plans a UNION of 1,200 logs in seconds, of 100 in
    // milliseconds. A transaction that touched logs of two queries is counted once through the set, which stops at
    // MaxPendingCounted (a backlog that large is lag whatever its exact size).
    private static async Task<(long Count, bool Capped)> PendingAsync(VendorDialect dialect, ICapture capture, TableSide master,
        List<ReplicatedTable> tables, string node, CancellationToken cancellationToken)
    {
        var ids = dialect.Schema.Identifiers;
        var processed = ids.Quote(capture.ProcessedTable(node));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in tables.Where(t => t.Mode == TableMode.Log).Chunk(LogsPerQuery))
        {
            await using var command = master.Connection.CreateCommand();
            command.Transaction = master.Transaction;
            command.CommandText =
                $"SELECT DISTINCT l.txid FROM ({string.Join("\nUNION\n", chunk.Select(t => $"SELECT txid FROM {ids.Quote(t.LogName)}"))}) l " +
                $"WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid)";
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                seen.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
                if (seen.Count >= MaxPendingCounted)
                    return (seen.Count, true);
            }
        }
        return (seen.Count, false);
    }

    // Log-mode tables init registered are described from their recorded column signature (the columns replicated, one
    // registry query for all of them) instead of five catalog queries each: that is what lets verify of 1,200 tables take
    // seconds. Their keys are read from the catalog only when a table differs (TableKeys). Snapshot-mode tables, and
    // tables the registry does not hold, go through the catalog as replay and init resolve them.
    private async Task<List<ReplicatedTable>> DescribeAsync(VendorDialect dialect, ICapture capture, MasterRegistry registry,
        List<TableConfig> selected, DbConnection connection, HashSet<ReplicatedTable> recorded, CancellationToken cancellationToken)
    {
        var described = new ReplicatedTable?[selected.Count];
        var unrecorded = new List<TableConfig>();
        var registered = registry.Tables;
        for (var i = 0; i < selected.Count; i++)
        {
            var matches = selected[i].Mode == TableMode.Log ? registered.Where(r => SameTable(selected[i].Name, r.Table)).ToList() : [];
            if (matches.Count == 1)
            {
                described[i] = capture.Describe(ColumnSignature.Recorded(matches[0].Table, matches[0].Signature), TableMode.Log);
                recorded.Add(described[i]!);
            }
            else
            {
                unrecorded.Add(selected[i]);
            }
        }
        if (unrecorded.Count == 0)
            return [.. described.OfType<ReplicatedTable>()];

        IReadOnlyList<(TableConfig Config, TableDefinition Definition)> resolved;
        try
        {
            resolved = await TableResolver.ResolveAsync(config with { Tables = unrecorded }, dialect.Schema, connection, cancellationToken);
        }
        catch (ConfigException)
        {
            // The resolver names problems by their index in the list it was given: resolve the whole config again so that
            // the message names the right "tables:N:name" keys.
            await TableResolver.ResolveAsync(config, dialect.Schema, connection, cancellationToken);
            throw;
        }
        var next = 0;
        for (var i = 0; i < selected.Count; i++)
            described[i] ??= capture.Describe(resolved[next++].Definition, selected[i].Mode);
        return [.. described.OfType<ReplicatedTable>()];
    }

    // A --table given as schema.table matches a config entry written without schema; here it must match the master's schema.
    private static void CheckSchemas(IReadOnlyList<string> names, List<ReplicatedTable> tables)
    {
        var problems = names.Select(DbObjectName.Parse)
            .Where(wanted => wanted.Schema is not null && !tables.Any(t => SameTable(wanted, t.Source.Name)))
            .Select(wanted => $"table {wanted} is not among the config's tables ({string.Join(", ", tables.Select(t => t.Source.Name))}).")
            .ToList();
        if (problems.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "Nothing was verified.");
    }

    private static bool SameTable(DbObjectName wanted, DbObjectName table) =>
        string.Equals(wanted.Name, table.Name, StringComparison.OrdinalIgnoreCase)
        && (wanted.Schema is null || string.Equals(wanted.Schema, table.Schema, StringComparison.OrdinalIgnoreCase));

    private List<TableConfig> SelectTables(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return [.. config.Tables];
        var problems = new List<string>();
        var selected = new List<TableConfig>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var wanted = DbObjectName.Parse(name);
            // A config entry without schema matches any schema here; CheckSchemas compares with the master's once resolved.
            var matches = config.Tables.Where(t => string.Equals(t.Name.Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
                && (wanted.Schema is null || t.Name.Schema is null || string.Equals(t.Name.Schema, wanted.Schema, StringComparison.OrdinalIgnoreCase))).ToList();
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
