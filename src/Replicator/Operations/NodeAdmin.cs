using System.Data.Common;
using Repl.Cli;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Engine;
using Repl.Schema;

namespace Repl.Operations;

/// <summary>
/// <c>repl node add NAME</c> and <c>repl node remove NAME</c>. Adding is init restricted to one node of repl.json: its
/// processed table on the master, its slave tables and apply routines, its load from one master snapshot. Removing drops
/// the node's processed table and registry row on the master, so purge no longer waits for it (DESIGN §7), and with
/// <c>dropSlaveObjects</c> its apply routines on the slave when that is reachable. Both hold the node's lock on the
/// master, so a replay of that node running meanwhile is refused clearly.
/// </summary>
internal sealed class NodeAdmin(ReplConfig config, IDatabaseConnector connector, IConsoleOutput output)
{
    // How long node remove waits for a purge in progress to finish its batch and let go of the purge lock.
    private static readonly TimeSpan PurgeWait = TimeSpan.FromSeconds(60);

    /// <summary>Adds the configured node <paramref name="name"/> to the master and loads it; returns the exit code.</summary>
    public async Task<int> AddAsync(string name, bool dryRun, CancellationToken cancellationToken)
    {
        var node = config.Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigException(config.File, [$"nodes: no node named \"{name}\"; configured nodes: {Names(config.Nodes.Select(n => n.Name))}. " +
                $"Add it under \"nodes\" in {config.File} first (provider and connectionString), then run repl node add {name} again; nothing was changed."]);
        var dialect = MasterDialect(config);
        await using (var master = await connector.OpenAsync(config.Master, cancellationToken))
        {
            var registry = await MasterRegistry.ReadAsync(dialect, master, cancellationToken);
            if (!registry.Exists)
                throw new ReplException($"node {node.Name}: the master has no repl registry yet; run repl init, which instruments the master and loads every configured node.");
            if (registry.Nodes.Contains(node.Name, StringComparer.OrdinalIgnoreCase) && registry.IsLoaded(node.Name))
            {
                output.WriteLine($"Nothing to do: node {node.Name} is already registered on the master and loaded. To copy its tables again, run repl resync --node {node.Name}.");
                return ExitCodes.Success;
            }
            // Init restricted to one node must not record a table change the other nodes have not received yet.
            await RequireInstrumentedAsync(config, dialect, master, registry, "node add", cancellationToken);
        }
        return await new Installer(config with { Nodes = [node] }, connector, output).RunAsync(dryRun, cancellationToken);
    }

    /// <summary>Removes node <paramref name="name"/> from the master (and its apply routines); returns the exit code.</summary>
    public async Task<int> RemoveAsync(string name, bool dropSlaveObjects, bool dryRun, CancellationToken cancellationToken)
    {
        var dialect = MasterDialect(config);
        await using var master = await connector.OpenAsync(config.Master, cancellationToken);
        var registry = await MasterRegistry.ReadAsync(dialect, master, cancellationToken);
        var registered = registry.Nodes.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ReplException($"node {name} is not registered on the master; registered nodes: {Names(registry.Nodes)}. Nothing was changed.");
        var configured = config.Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
        if (dropSlaveObjects && configured is null)
            throw new ReplException($"node {registered}: --drop-slave-objects needs its connection, but it is not under \"nodes\" in {config.File}; " +
                "run without --drop-slave-objects to remove it from the master only. Nothing was changed.");

        var masterPlan = new DatabasePlan("master", [($"processed-transaction table and registry row of node {registered}", dialect.Capture!.UninstallNode(registered))]);
        var slavePlan = dropSlaveObjects ? SlavePlan(dialect, registry, configured!) : null;
        if (dryRun)
        {
            masterPlan.Print(output);
            slavePlan?.Print(output);
            output.WriteLine("-- dry run: nothing was changed.");
            return ExitCodes.Success;
        }

        if (!await dialect.Master!.TryLockNodeAsync(master, registered, cancellationToken))
            throw new ReplException($"node {registered}: a repl replay is running for this node (it holds the node's lock on the master). " +
                "Stop that replay service, then run repl node remove again; nothing was changed.");
        await LockPurgeAsync(dialect, master, registered, cancellationToken);
        try
        {
            if (slavePlan is not null)
                await DropSlaveObjectsAsync(configured!, slavePlan, cancellationToken);
            await masterPlan.ExecuteAsync(master, output, "removing", "removed", cancellationToken);
        }
        finally
        {
            await dialect.Purge!.UnlockAsync(master, CancellationToken.None);
        }
        output.WriteLine($"node {registered} removed from the master: purge no longer waits for it. Its slave tables and rows are kept (user data).");
        if (configured is not null)
            output.WriteLine($"node {registered} is still under \"nodes\" in {config.File}: remove it there too, or the next repl init adds it again and loads it from scratch.");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Refuses (naming the table and what to run) when a configured log-mode table is not instrumented yet or changed since
    /// init recorded it: operations on one node must not leave the others behind; repl init handles every node.
    /// </summary>
    public static async Task<IReadOnlyList<ReplicatedTable>> RequireInstrumentedAsync(ReplConfig config, VendorDialect dialect, DbConnection master,
        MasterRegistry registry, string verb, CancellationToken cancellationToken)
    {
        var resolved = await TableResolver.ResolveAsync(config, dialect.Schema, master, cancellationToken);
        var tables = resolved.Select(r => dialect.Capture!.Describe(r.Definition, r.Config.Mode)).ToList();
        var problems = new List<string>();
        foreach (var table in tables.Where(t => t.Mode == TableMode.Log))
        {
            var recorded = registry.Signature(table);
            var drift = SchemaDrift.Compare(table, recorded);
            if (recorded is null)
                problems.Add($"table {table.Source.Name}: repl init has not instrumented it yet; run repl init (every node gets it), then repl {verb} again.");
            else if (drift.Refusal is not null)
                problems.Add(drift.Refusal);
            else if (drift.AddedColumns.Count > 0)
                problems.Add($"table {table.Source.Name}: column(s) {string.Join(", ", drift.AddedColumns.Select(c => "\"" + c.Name + "\""))} were added on " +
                    $"the master since repl init; run repl init (every node gets them), then repl {verb} again.");
        }
        if (problems.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "Nothing was changed.");
        return tables;
    }

    /// <summary>The master dialect, or an error when the configured master vendor cannot be one.</summary>
    public static VendorDialect MasterDialect(ReplConfig config)
    {
        var dialect = VendorDialects.For(config.Master.Provider);
        if (dialect.Capture is null || dialect.Master is null || dialect.Purge is null)
            throw new ReplException($"master: {VendorNames.Of(config.Master.Provider)} cannot be a master; masters are postgresql, mysql and oracle.");
        return dialect;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }

    private static DatabasePlan SlavePlan(VendorDialect master, MasterRegistry registry, NodeConfig node)
    {
        var apply = VendorDialects.For(node.Provider).Apply;
        var tables = registry.Tables.Select(t => master.Capture!.Describe(ColumnSignature.Recorded(t.Table, t.Signature), TableMode.Log));
        return new DatabasePlan($"node {node.Name}",
            tables.Select(t => ($"apply routine of {t.SlaveName}", apply.UninstallRoutine(t.Source, t.SlaveName))).ToList());
    }

    private async Task DropSlaveObjectsAsync(NodeConfig node, DatabasePlan plan, CancellationToken cancellationToken)
    {
        DbConnection slave;
        try
        {
            slave = await connector.OpenAsync(node, cancellationToken);
        }
        catch (ReplException e)
        {
            // A dead slave is the usual reason to remove a node: the master side must go anyway.
            output.WriteLine($"node {node.Name}: not reachable, so its apply routines stay ({e.Message}).");
            return;
        }
        await using (slave)
        {
            await plan.ExecuteAsync(slave, output, "removing", "removed", cancellationToken);
            if (plan.IsEmpty)
                output.WriteLine($"node {node.Name}: no apply routines to remove ({VendorNames.Of(node.Provider)} keeps none).");
        }
    }

    // A purge reads every processed table: dropping one under it would fail that purge, so wait for it to let go.
    private static async Task LockPurgeAsync(VendorDialect dialect, DbConnection master, string node, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + PurgeWait;
        while (!await dialect.Purge!.TryLockAsync(master, cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
                throw new ReplException($"node {node}: a repl purge has been running on the master for over {PurgeWait.TotalSeconds:0} s and holds the purge lock; " +
                    "run repl node remove again when it is done; nothing was changed.");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
