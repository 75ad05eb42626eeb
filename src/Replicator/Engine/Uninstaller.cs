using System.Data.Common;
using Repl.Cli;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Schema;

namespace Repl.Engine;

/// <summary>
/// <c>repl uninstall</c>: removes from the master everything init created there — per table its triggers, trigger routine
/// and change log; per node its processed-transaction table; then the registries — and, with <c>--nodes</c>, the apply
/// routines on every configured node. User tables and their rows are never touched, on the master or on the slaves.
/// It works from the master's registry as well as the config, so a table taken out of the config (or dropped from the
/// master) since init is cleaned up too. A second run finds no registry and says there is nothing to remove.
/// </summary>
internal sealed class Uninstaller(ReplConfig config, IDatabaseConnector connector, IConsoleOutput output)
{
    private const string DataKept = "Slave tables and their rows are kept (they are user data): drop them yourself if you no longer need them.";

    /// <summary>Plans and (unless <paramref name="dryRun"/>) removes; with <paramref name="nodes"/> the nodes' apply routines too.</summary>
    public async Task<int> RunAsync(bool nodes, bool dryRun, CancellationToken cancellationToken)
    {
        var masterDialect = VendorDialects.For(config.Master.Provider);
        var capture = masterDialect.Capture ?? throw new ReplException(
            $"master: {VendorNames.Of(config.Master.Provider)} cannot be a master; masters are postgresql, mysql and oracle.");
        await using var master = await connector.OpenAsync(config.Master, cancellationToken);

        var registry = await MasterRegistry.ReadAsync(masterDialect, master, cancellationToken);
        if (!registry.Exists)
        {
            output.WriteLine("Nothing to remove: the master has no repl registry (repl init never ran on it, or repl uninstall already removed everything). " + DataKept);
            return ExitCodes.Success;
        }

        var tables = await TablesAsync(masterDialect, capture, master, registry, cancellationToken);
        var registeredNodes = registry.Nodes.Union(config.Nodes.Select(n => n.Name), StringComparer.OrdinalIgnoreCase).ToList();
        var masterPlan = PlanMaster(capture, tables, registeredNodes);
        var nodePlans = new List<(NodeConfig Node, DatabasePlan Plan)>();
        if (nodes)
        {
            foreach (var node in config.Nodes)
            {
                // Reach every node before anything is dropped: an unreachable one stops the run while nothing is gone yet.
                await using var slave = await connector.OpenAsync(node, cancellationToken);
                nodePlans.Add((node, PlanNode(node, tables)));
            }
        }

        foreach (var (table, gone) in tables.Where(t => t.Gone))
            output.WriteLine($"table {table.Source.Name} is gone from the master: its change log and capture objects are dropped by name.");
        var unreachable = registry.Nodes.Where(n => !config.Nodes.Any(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        foreach (var node in unreachable)
            output.WriteLine($"node {node} is registered on the master but not in the config: its processed table is dropped; " +
                "repl has no connection to it, so any apply routines on it stay.");

        if (dryRun)
        {
            masterPlan.Print(output);
            foreach (var (_, plan) in nodePlans)
                plan.Print(output);
            output.WriteLine("-- dry run: nothing was changed. " + DataKept);
            return ExitCodes.Success;
        }

        // A replay running meanwhile would fail on the dropped objects, or recreate its stage on a half-removed node.
        foreach (var node in registeredNodes)
            if (!await masterDialect.Master!.TryLockNodeAsync(master, node, cancellationToken))
                throw new ReplException($"node {node}: a repl replay is running for this node (it holds the node's lock on the master). " +
                    "Stop every replay service of this master, then run repl uninstall again; nothing was removed.");

        // Nodes first: should one fail, the master still records what to remove and a second run finishes the work.
        foreach (var (node, plan) in nodePlans)
        {
            await using var slave = await connector.OpenAsync(node, cancellationToken);
            await plan.ExecuteAsync(slave, output, "removing", "removed", cancellationToken);
            if (plan.IsEmpty)
                output.WriteLine($"node {node.Name}: no apply routines to remove ({VendorNames.Of(node.Provider)} keeps none).");
        }
        await masterPlan.ExecuteAsync(master, output, "removing", "removed", cancellationToken);

        output.WriteLine($"uninstall done: change capture of {tables.Count} table(s) and {registeredNodes.Count} node(s) removed from the master" +
            (nodes
                ? $"; apply routines removed from {(config.Nodes.Count == 0 ? "no node" : string.Join(", ", config.Nodes.Select(n => n.Name)))}."
                : ". The nodes keep their apply routines, unused from now on (repl uninstall --nodes would have removed them too)."));
        output.WriteLine(DataKept);
        return ExitCodes.Success;
    }

    // Every registered table, whether or not it is still configured or still exists, then any configured table init did
    // not get to register (a first init that failed half way may have left some of its objects).
    private async Task<IReadOnlyList<(ReplicatedTable Table, bool Gone)>> TablesAsync(VendorDialect dialect, ICapture capture,
        DbConnection master, MasterRegistry registry, CancellationToken cancellationToken)
    {
        var tables = new List<(ReplicatedTable Table, bool Gone)>();
        foreach (var (name, signature) in registry.Tables)
        {
            var exists = (await dialect.Schema.Catalog.FindTablesAsync(master, name, cancellationToken)).Contains(name);
            var definition = exists ? await ReadOrNullAsync(dialect.Schema, master, name, cancellationToken) : null;
            // Generated object names derive from the table name alone, so the recorded columns are enough to name them.
            tables.Add((capture.Describe(definition ?? ColumnSignature.Recorded(name, signature), TableMode.Log), !exists));
        }
        foreach (var configured in config.Tables.Where(t => t.Mode == TableMode.Log))
        {
            var candidates = await dialect.Schema.Catalog.FindTablesAsync(master, configured.Name, cancellationToken);
            if (candidates.Count != 1 || tables.Any(t => t.Table.Source.Name == candidates[0]))
                continue;
            if (await ReadOrNullAsync(dialect.Schema, master, candidates[0], cancellationToken) is { } definition)
                tables.Add((capture.Describe(definition, configured.Mode), false));
        }
        return tables;
    }

    private static async Task<TableDefinition?> ReadOrNullAsync(SchemaDialect schema, DbConnection connection, DbObjectName name,
        CancellationToken cancellationToken)
    {
        try
        {
            return await schema.Catalog.ReadTableAsync(connection, name, cancellationToken);
        }
        catch (SchemaException)
        {
            // Changed beyond what repl replicates (a dropped key, an unsupported type): uninstall still removes it by name.
            return null;
        }
    }

    private static DatabasePlan PlanMaster(ICapture capture, IReadOnlyList<(ReplicatedTable Table, bool Gone)> tables, IReadOnlyList<string> nodes)
    {
        var steps = new List<(string, IReadOnlyList<string>)>();
        foreach (var (table, _) in tables)
            steps.Add(($"change capture of {table.Source.Name}", capture.UninstallTable(table)));
        foreach (var node in nodes)
            steps.Add(($"processed-transaction table of node {node}", capture.UninstallNode(node)));
        steps.Add(("repl registries", capture.UninstallBase()));
        return new DatabasePlan("master", steps);
    }

    private static DatabasePlan PlanNode(NodeConfig node, IReadOnlyList<(ReplicatedTable Table, bool Gone)> tables)
    {
        var apply = VendorDialects.For(node.Provider).Apply;
        return new DatabasePlan($"node {node.Name}",
            tables.Select(t => ($"apply routine of {t.Table.SlaveName}", apply.UninstallRoutine(t.Table.Source, t.Table.SlaveName))).ToList());
    }
}
