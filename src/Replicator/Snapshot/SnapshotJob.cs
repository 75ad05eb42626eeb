using System.Data.Common;
using System.Globalization;
using Repl.Cli;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Schema;

namespace Repl.Snapshot;

/// <summary>
/// <c>repl snapshot T [T…] [--node N]</c>: one <see cref="SnapshotCopy"/> per node and table, each over fresh connections,
/// so one node's failure neither stops nor taints the others. Prints rows and time per node and table; every failure is
/// one error line naming the node and table, and the exit code is 2 when any failed.
/// </summary>
internal sealed class SnapshotJob(ReplConfig config, IDatabaseConnector connector, IConsoleOutput output, IReadOnlyList<string> secrets)
{
    /// <summary>Snapshots <paramref name="names"/> onto <paramref name="nodeName"/> (every node when null), or prints what it would run.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> names, string? nodeName, bool dryRun, CancellationToken cancellationToken)
    {
        var selected = Select(names);
        IReadOnlyList<NodeConfig> nodes = nodeName is null ? config.Nodes : [config.Node(nodeName)];
        var masterDialect = VendorDialects.For(config.Master.Provider);
        var capture = masterDialect.Capture ?? throw new ReplException(
            $"master: {VendorNames.Of(config.Master.Provider)} cannot be a master; masters are postgresql, mysql and oracle.");

        List<ReplicatedTable> tables;
        await using (var master = await connector.OpenAsync(config.Master, cancellationToken))
        {
            tables = [];
            foreach (var table in selected)
                tables.Add(capture.Describe(await ReadAsync(masterDialect.Schema, master, table, cancellationToken), TableMode.Snapshot));
        }

        var failures = 0;
        foreach (var node in nodes)
        {
            var copy = new SnapshotCopy(masterDialect, VendorDialects.For(node.Provider));
            foreach (var table in tables)
            {
                try
                {
                    if (dryRun)
                    {
                        await PrintAsync(copy, node, table, cancellationToken);
                        continue;
                    }
                    await using var master = await connector.OpenAsync(config.Master, cancellationToken);
                    await using var slave = await connector.OpenAsync(node, cancellationToken);
                    var result = await copy.RunAsync(master, slave, node.Name, table, firstLoad: false, cancellationToken);
                    output.WriteLine(Describe(result));
                }
                catch (ReplException e)
                {
                    output.WriteError("error: " + ConnectionStrings.Scrub(e.Message, secrets));
                    failures++;
                }
            }
        }
        if (dryRun)
            output.WriteLine("-- dry run: nothing was changed.");
        return failures == 0 ? ExitCodes.Success : ExitCodes.Error;
    }

    /// <summary>The line printed for a snapshot that committed.</summary>
    public static string Describe(SnapshotResult result)
    {
        var seconds = result.Duration.TotalSeconds;
        var rate = seconds > 0 ? result.Rows / seconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"node {result.Node}: {result.Table}: {result.Rows} row(s) in {seconds:0.000} s ({rate:0} rows/s), {result.Twin.Name} is live");
    }

    private List<TableConfig> Select(IReadOnlyList<string> names)
    {
        var problems = new List<string>();
        var selected = new List<TableConfig>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var wanted = DbObjectName.Parse(name);
            var matches = config.Tables.Where(t => Matches(t.Name, wanted)).ToList();
            if (matches.Count == 0)
                problems.Add($"table {name} is not among the config's tables ({string.Join(", ", config.Tables.Select(t => t.Name))}); " +
                    "repl snapshot copies the tables configured with \"mode\": \"snapshot\".");
            else if (matches.Count > 1)
                problems.Add($"table {name} matches {string.Join(" and ", matches.Select(m => m.Name))} in the config; write it as schema.table.");
            else if (matches[0].Mode != TableMode.Snapshot)
                problems.Add($"table {matches[0].Name} is configured in log mode: repl replay keeps it up to date and repl snapshot does not " +
                    $"copy it. To copy it whole from cron instead, set \"mode\": \"snapshot\" for it in {config.File} and run repl init.");
            else
                selected.Add(matches[0]);
        }
        if (problems.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "Nothing was copied.");
        return selected;
    }

    private static bool Matches(DbObjectName configured, DbObjectName wanted) =>
        string.Equals(configured.Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
        && (wanted.Schema is null || string.Equals(configured.Schema, wanted.Schema, StringComparison.OrdinalIgnoreCase));

    private static async Task<TableDefinition> ReadAsync(SchemaDialect master, DbConnection connection, TableConfig table,
        CancellationToken cancellationToken)
    {
        var candidates = await master.Catalog.FindTablesAsync(connection, table.Name, cancellationToken);
        return candidates.Count switch
        {
            0 => throw new ReplException($"table {table.Name} was not found on the master."),
            > 1 => throw new ReplException(
                $"table {table.Name} is ambiguous on the master; it matches {string.Join(", ", candidates.Select(c => "\"" + c + "\""))}. " +
                "Write the exact name in the config, as schema.table."),
            _ => await master.Catalog.ReadTableAsync(connection, candidates[0], cancellationToken),
        };
    }

    private async Task PrintAsync(SnapshotCopy copy, NodeConfig node, ReplicatedTable table, CancellationToken cancellationToken)
    {
        var flip = VendorDialects.For(node.Provider).Snapshot;
        var twins = flip.Twins(table.SlaveName);
        int? live;
        await using (var slave = await connector.OpenAsync(node, cancellationToken))
            live = await flip.LiveTwinAsync(slave, null, twins, cancellationToken);
        if (live is null)
        {
            output.WriteLine($"-- node {node.Name}: {table.Source.Name}: there is no view {twins.View} yet; repl init creates it with the first snapshot.");
            return;
        }
        if (live == 0)
        {
            output.WriteLine($"-- node {node.Name}: {table.Source.Name}: the view {twins.View} reads neither twin; repl snapshot refuses it. Pointing it back at {twins.First} is:");
            Print(flip.Flip(table.Source, twins, 1));
            return;
        }
        var target = 3 - live.Value;
        if (flip.ClearCommits)
        {
            output.WriteLine($"-- node {node.Name}: {table.Source.Name}: the view reads {twins.Twin(live.Value)}; a snapshot would empty {twins.Twin(target)} (this commits):");
            Print(flip.Clear(twins, target));
            output.WriteLine("-- then load it in one transaction:");
        }
        else
        {
            output.WriteLine($"-- node {node.Name}: {table.Source.Name}: the view reads {twins.Twin(live.Value)}; a snapshot would load {twins.Twin(target)} in one transaction:");
            Print(flip.Clear(twins, target));
        }
        output.WriteLine($"-- bulk load into {twins.Twin(target)} of every row the master returns for:");
        Print([copy.SelectAll(table)]);
        output.WriteLine(flip.FlipCommits
            ? "-- commit, then point the view at it (the flip commits implicitly, so it runs last, alone):"
            : "-- then point the view at it, in the same transaction, and commit:");
        Print(flip.Flip(table.Source, twins, target));
    }

    private void Print(IReadOnlyList<string> statements)
    {
        foreach (var statement in statements)
            output.WriteLine(statement + "\n;");
    }
}
