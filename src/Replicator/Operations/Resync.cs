using System.Globalization;
using Repl.Cli;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Engine;
using Repl.Schema;
using Repl.Snapshot;

namespace Repl.Operations;

/// <summary>
/// <c>repl resync --node N [--table T…]</c> (DESIGN §7): copies log-mode tables onto one node again from ONE master snapshot,
/// in one replay cycle whose other log-mode tables get their pending changes as usual, and marks the transactions visible
/// in that snapshot processed; snapshot-mode tables get a fresh snapshot. Holds the node's lock on the master throughout,
/// so a replay of that node running meanwhile is refused clearly. Repairs a slave table damaged by hand or truncated on a
/// MariaDB master (which fires no trigger for TRUNCATE).
/// </summary>
internal sealed class Resync(ReplConfig config, IDatabaseConnector connector, IConsoleOutput output)
{
    /// <summary>Resyncs <paramref name="tableNames"/> (every configured table when empty) onto node <paramref name="nodeName"/>.</summary>
    public async Task<int> RunAsync(string nodeName, IReadOnlyList<string> tableNames, bool dryRun, CancellationToken cancellationToken)
    {
        var node = config.Node(nodeName);
        var masterDialect = NodeAdmin.MasterDialect(config);
        var slaveDialect = VendorDialects.For(node.Provider);
        await using var master = await connector.OpenAsync(config.Master, cancellationToken);
        var registry = await MasterRegistry.ReadAsync(masterDialect, master, cancellationToken);
        if (!registry.Exists || !registry.IsLoaded(node.Name))
            throw new ReplException($"node {node.Name}: the master has no completed initial load for this node; run repl node add {node.Name} (or repl init) instead. Nothing was changed.");
        var tables = await NodeAdmin.RequireInstrumentedAsync(config, masterDialect, master, registry, "resync", cancellationToken);
        var selected = Select(tables, tableNames);
        var copies = selected.Where(t => t.Mode == TableMode.Log).ToDictionary(t => t, _ => TableRefresh.Full);
        var snapshots = selected.Where(t => t.Mode == TableMode.Snapshot).ToList();

        if (dryRun)
        {
            Print(masterDialect, slaveDialect, node, tables, copies.Keys.ToList(), snapshots);
            return ExitCodes.Success;
        }

        if (!await masterDialect.Master!.TryLockNodeAsync(master, node.Name, cancellationToken))
            throw new ReplException($"node {node.Name}: a repl replay is running for this node (it holds the node's lock on the master). " +
                "Stop that replay service, run repl resync again, then start the service again; nothing was changed.");
        await using var slave = await connector.OpenAsync(node, cancellationToken);
        if (copies.Count > 0)
        {
            var result = await new ReplayCycle(masterDialect, slaveDialect, config.Replay.BatchSize)
                .RunAsync(master, slave, tables, node.Name, copies, cancellationToken);
            foreach (var table in copies.Keys)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"node {node.Name}: {table.Source.Name}: {result.RowsByTable.GetValueOrDefault(table.Source.Name.ToString())} row(s) copied from one master snapshot"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node {node.Name}: resync committed in {result.Duration.TotalSeconds:0.0} s; {result.Transactions} transaction(s) marked processed (other tables got their pending changes in the same cycle)."));
        }
        foreach (var table in snapshots)
            output.WriteLine(SnapshotJob.Describe(
                await new SnapshotCopy(masterDialect, slaveDialect).RunAsync(master, slave, node.Name, table, firstLoad: false, cancellationToken)));
        output.WriteLine($"resync of node {node.Name} done: {selected.Count} table(s).");
        return ExitCodes.Success;
    }

    private static List<ReplicatedTable> Select(IReadOnlyList<ReplicatedTable> tables, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
            return [.. tables];
        var selected = new List<ReplicatedTable>();
        var problems = new List<string>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var wanted = DbObjectName.Parse(name);
            var matches = tables.Where(t => string.Equals(t.Source.Name.Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
                && (wanted.Schema is null || string.Equals(t.Source.Name.Schema, wanted.Schema, StringComparison.OrdinalIgnoreCase))).ToList();
            if (matches.Count == 1)
                selected.Add(matches[0]);
            else
                problems.Add(matches.Count == 0
                    ? $"table {name} is not among the configured tables ({string.Join(", ", tables.Select(t => t.Source.Name.ToString()))})."
                    : $"table {name} matches {string.Join(" and ", matches.Select(m => m.Source.Name.ToString()))}; write it as schema.table.");
        }
        if (problems.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "Nothing was changed.");
        return selected;
    }

    private void Print(VendorDialect master, VendorDialect slave, NodeConfig node, IReadOnlyList<ReplicatedTable> tables,
        List<ReplicatedTable> copies, List<ReplicatedTable> snapshots)
    {
        if (copies.Count > 0)
        {
            output.WriteLine($"-- node {node.Name}: in one slave transaction, against one master snapshot:");
            foreach (var table in copies)
            {
                output.WriteLine($"DELETE FROM {slave.Schema.Identifiers.Quote(table.SlaveName)}\n;");
                output.WriteLine($"-- bulk load into {table.SlaveName} of every row the master returns for:");
                output.WriteLine(master.Master!.SelectAll(table) + "\n;");
            }
            var others = tables.Where(t => t.Mode == TableMode.Log && !copies.Contains(t)).ToList();
            if (others.Count > 0)
                output.WriteLine($"-- the pending changes of {string.Join(", ", others.Select(t => t.Source.Name.ToString()))} are applied as in any replay cycle;");
            output.WriteLine($"-- then the transactions visible in the snapshot are marked processed for {node.Name}, the slave commits, then the master.");
        }
        foreach (var table in snapshots)
            output.WriteLine($"-- node {node.Name}: {table.Source.Name} (snapshot mode) would get a fresh snapshot, as repl snapshot {table.Source.Name} --node {node.Name} does.");
        output.WriteLine("-- dry run: nothing was changed.");
    }
}
