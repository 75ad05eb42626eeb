using System.Data.Common;
using Repl.Cli;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Schema;
using Repl.Snapshot;

namespace Repl.Engine;

/// <summary>
/// <c>repl init</c>: instruments the master (triggers first), creates slave tables and apply routines, then loads every
/// node that has not been loaded from ONE master snapshot per node and marks the transactions visible in that snapshot
/// processed (DESIGN §7). Snapshot-mode tables get no triggers; on each node they get their twins, then their first
/// snapshot and the view over it (<see cref="SnapshotInstall"/>). Idempotent: it plans from what exists, so a second
/// run finds nothing to do and says so.
/// A column added at the end of a master table is added on the slaves, the apply routine is regenerated and that
/// table is copied again; any other drift is an error naming the table and column.
/// </summary>
internal sealed class Installer(ReplConfig config, IDatabaseConnector connector, IConsoleOutput output)
{
    /// <summary>Plans and (unless <paramref name="dryRun"/>) carries out init; returns what was (or would be) done.</summary>
    public async Task<int> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var masterDialect = VendorDialects.For(config.Master.Provider);
        var generic = masterDialect.Capture ?? throw new ReplException(
            $"master: {VendorNames.Of(config.Master.Provider)} cannot be a master; masters are postgresql, mysql and oracle.");
        await using var master = await connector.OpenAsync(config.Master, cancellationToken);
        var capture = await generic.ForMasterAsync(master, cancellationToken);

        var resolved = await TableResolver.ResolveAsync(config, masterDialect.Schema, master, cancellationToken);
        var tables = resolved.Select(r => capture.Describe(r.Definition, r.Config.Mode)).ToList();
        var registry = await MasterRegistry.ReadAsync(masterDialect, master, cancellationToken);

        var drift = tables.Select(t => (Table: t, Change: SchemaDrift.Compare(t, registry.Signature(t)))).ToList();
        var refusals = drift.Where(d => d.Change.Refusal is not null).Select(d => d.Change.Refusal!).ToList();
        if (refusals.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, refusals));

        var instrumented = drift.Where(d => d.Table.Mode == TableMode.Log && registry.HasTable(d.Table)).ToList();
        // A table with an added column is left out: signaturePlan installs its capture again, last, with the new signature.
        var retriggered = await capture.TriggersToReinstallAsync(master,
            instrumented.Where(d => d.Change.AddedColumns.Count == 0).Select(d => d.Table).ToList(), cancellationToken);
        var masterPlan = PlanMaster(capture, registry, tables, retriggered);
        // Recorded last: a run that fails on a node leaves the old signature, so the next init finds the drift again.
        var signaturePlan = new DatabasePlan("master", instrumented
            .Where(d => d.Change.AddedColumns.Count > 0)
            .Select(d => ($"new column signature of {d.Table.Source.Name}", capture.InstallTable(d.Table))).ToList());
        var nodePlans = new List<(NodeConfig Node, DatabasePlan Plan, IReadOnlyDictionary<ReplicatedTable, TableRefresh> Loads,
            IReadOnlyList<ReplicatedTable> Snapshots)>();
        foreach (var node in config.Nodes)
        {
            await using var slave = await connector.OpenAsync(node, cancellationToken);
            nodePlans.Add(await PlanNodeAsync(node, slave, tables, registry, drift, cancellationToken));
        }
        var changedNodes = nodePlans.Where(n => !n.Plan.IsEmpty || n.Loads.Count > 0 || n.Snapshots.Count > 0).ToList();

        if (masterPlan.IsEmpty && signaturePlan.IsEmpty && changedNodes.Count == 0)
        {
            output.WriteLine($"Nothing to do: the master is instrumented for {tables.Count} table(s) and every node ({string.Join(", ", config.Nodes.Select(n => n.Name))}) is created and loaded.");
            return ExitCodes.Success;
        }

        if (dryRun)
        {
            masterPlan.Print(output);
            foreach (var (node, plan, loads, snapshots) in nodePlans)
            {
                plan.Print(output);
                if (loads.Count > 0)
                    output.WriteLine($"-- {plan.Database}: would copy {string.Join(", ", loads.Keys.Select(t => t.Source.Name.ToString()))} from one master snapshot, then mark the transactions visible in it processed for {node.Name}.");
                foreach (var table in snapshots)
                    foreach (var line in SnapshotInstall.DescribeFirstLoad(node.Name, VendorDialects.For(node.Provider), table))
                        output.WriteLine(line);
            }
            signaturePlan.Print(output);
            output.WriteLine("-- dry run: nothing was changed.");
            return ExitCodes.Success;
        }

        // The cycles below load nodes as a replay would; a replay of the same node running meanwhile could apply rows with
        // the columns it knew before this init (DESIGN §5: one replay per node). Locks are held until init ends.
        foreach (var (node, _, _, _) in changedNodes)
            if (!await masterDialect.Master!.TryLockNodeAsync(master, node.Name, cancellationToken))
                throw new ReplException($"node {node.Name}: a repl replay is running for this node (it holds the node's lock on the master) " +
                    "and init must change it. Stop that replay, run repl init again, then start the replay again; nothing was changed.");

        await masterPlan.ExecuteAsync(master, output, "creating", "created", cancellationToken);
        foreach (var (node, plan, loads, snapshots) in changedNodes)
        {
            await using var slave = await connector.OpenAsync(node, cancellationToken);
            await plan.ExecuteAsync(slave, output, "creating", "created", cancellationToken);
            var slaveDialect = VendorDialects.For(node.Provider);
            foreach (var table in snapshots)
                output.WriteLine(SnapshotInstall.Describe(
                    await new SnapshotCopy(masterDialect, slaveDialect).RunAsync(master, slave, node.Name, table, firstLoad: true, cancellationToken)));
            if (loads.Count == 0)
                continue;
            var cycle = new ReplayCycle(masterDialect, slaveDialect, config.Replay.BatchSize);
            var result = await cycle.RunAsync(master, slave, tables, node.Name, loads, cancellationToken);
            await new DatabasePlan("master", [($"initial load of node {node.Name}", capture.MarkLoaded(node.Name))]).ExecuteAsync(master, output, "recording", "recorded", cancellationToken);
            output.WriteLine($"node {node.Name}: loaded {result.RowsApplied} row(s) of {loads.Count} table(s) in {result.Duration.TotalSeconds:0.0} s; {result.Transactions} earlier transaction(s) marked processed.");
        }
        await signaturePlan.ExecuteAsync(master, output, "recording", "recorded", cancellationToken);
        output.WriteLine($"init done: {tables.Count} table(s), {config.Nodes.Count} node(s).");
        return ExitCodes.Success;
    }

    private DatabasePlan PlanMaster(ICapture capture, MasterRegistry registry, IReadOnlyList<ReplicatedTable> tables,
        IReadOnlyList<(ReplicatedTable Table, bool Missing)> retriggered)
    {
        var steps = new List<(string, IReadOnlyList<string>)>();
        if (!registry.Exists)
            steps.Add(("repl schema and registries", capture.InstallBase()));
        else if (!registry.IsCurrent)
            steps.Add(("registry columns added by this version of repl", capture.UpgradeBase()));
        foreach (var table in tables.Where(t => t.Mode == TableMode.Log && !registry.HasTable(t)))
            steps.Add(($"change capture for {table.Source.Name}", capture.InstallTable(table)));
        // Installed again in place (every statement is idempotent): the log and its rows stay, the triggers are replaced.
        foreach (var (table, missing) in retriggered)
            steps.Add((missing
                ? $"change capture for {table.Source.Name}, whose triggers were dropped: changes made since were NOT captured; run repl resync --table {table.Source.Name.Name} for every node"
                : $"change capture for {table.Source.Name}, installed again: the master's capture extension was added or removed since", capture.InstallTable(table)));
        foreach (var node in registry.MissingNodes(config.Nodes))
            steps.Add(($"processed-transaction table of node {node.Name}", capture.InstallNode(node.Name, node.Provider)));
        return new DatabasePlan("master", steps);
    }

    private static async Task<(NodeConfig, DatabasePlan, IReadOnlyDictionary<ReplicatedTable, TableRefresh>, IReadOnlyList<ReplicatedTable>)> PlanNodeAsync(
        NodeConfig node, DbConnection slave, IReadOnlyList<ReplicatedTable> tables, MasterRegistry registry,
        IReadOnlyList<(ReplicatedTable Table, SchemaDrift Change)> drift, CancellationToken cancellationToken)
    {
        var dialect = VendorDialects.For(node.Provider);
        var steps = new List<(string, IReadOnlyList<string>)>();
        var loads = new Dictionary<ReplicatedTable, TableRefresh>();
        var loaded = registry.IsLoaded(node.Name);
        foreach (var (table, change) in drift.Where(d => d.Table.Mode == TableMode.Log))
        {
            var existing = await dialect.Schema.Catalog.FindTablesAsync(slave, table.SlaveName, cancellationToken);
            if (!existing.Any(e => e.Name == table.SlaveName.Name))
            {
                steps.Add(($"table {table.SlaveName}", dialect.Schema.Ddl.CreateTable(table.Source, table.SlaveName)));
                steps.Add(($"apply routine of {table.SlaveName}", dialect.Apply.InstallRoutine(table.Source, table.SlaveName)));
                loads[table] = TableRefresh.Full;
            }
            else if (change.AddedColumns.Count > 0)
            {
                // Only the columns this node lacks: an earlier init may have added them before failing on another node.
                var missing = await MissingColumnsAsync(dialect, slave, existing.First(e => e.Name == table.SlaveName.Name), change.AddedColumns, cancellationToken);
                steps.Add(($"new columns of {table.SlaveName}", missing.Select(c => dialect.Schema.Ddl.AddColumn(table.SlaveName, c)).ToList()));
                steps.Add(($"apply routine of {table.SlaveName}", dialect.Apply.InstallRoutine(table.Source, table.SlaveName)));
                loads[table] = TableRefresh.Full;
            }
            else if (!await dialect.Apply.HasRoutineAsync(slave, table.SlaveName, cancellationToken))
            {
                // Dropped by hand: replay refuses the table until it is back, and the changes wait on the master meanwhile.
                steps.Add(($"missing apply routine of {table.SlaveName}", dialect.Apply.InstallRoutine(table.Source, table.SlaveName)));
            }
            else if (!loaded)
            {
                loads[table] = TableRefresh.Full;
            }
        }
        if (!loaded)
            foreach (var table in tables.Where(t => t.Mode == TableMode.Log))
                loads[table] = TableRefresh.Full;
        var (snapshotSteps, firstSnapshots) = await SnapshotInstall.PlanAsync(node.Name, dialect, slave, tables, cancellationToken);
        steps.AddRange(snapshotSteps);
        return (node, new DatabasePlan($"node {node.Name}", steps), loads, firstSnapshots);
    }

    private static async Task<IReadOnlyList<ColumnDefinition>> MissingColumnsAsync(VendorDialect dialect, DbConnection slave,
        DbObjectName slaveTable, IReadOnlyList<ColumnDefinition> added, CancellationToken cancellationToken)
    {
        TableDefinition present;
        try
        {
            present = await dialect.Schema.Catalog.ReadTableAsync(slave, slaveTable, cancellationToken);
        }
        catch (SchemaException)
        {
            // A slave table repl cannot read back is left to ALTER TABLE to judge, which names the column if it exists.
            return added;
        }
        return added.Where(a => !present.Columns.Any(p => p.Name == a.Name)).ToList();
    }
}
