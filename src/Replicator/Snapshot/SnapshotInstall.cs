using System.Data.Common;
using Repl.Configuration;
using Repl.Dialects;

namespace Repl.Snapshot;

/// <summary>
/// What <c>repl init</c> does for snapshot-mode tables on one node. It creates the missing twins; the first load into
/// twin 1 and the view over it follow through <see cref="SnapshotCopy"/>, so the view exists only once a snapshot is in
/// it, and an init stopped in between loads it next time. The master gets nothing for these tables: no log, no triggers.
/// </summary>
internal static class SnapshotInstall
{
    /// <summary>
    /// The statements creating the missing twins of <paramref name="tables"/>' snapshot-mode tables on the node, and the
    /// tables that still need their first load (those without a view). A plain table where the view belongs is refused.
    /// </summary>
    public static async Task<(IReadOnlyList<(string Why, IReadOnlyList<string> Statements)> Steps, IReadOnlyList<ReplicatedTable> FirstLoads)> PlanAsync(
        string node, VendorDialect dialect, DbConnection slave, IEnumerable<ReplicatedTable> tables, CancellationToken cancellationToken)
    {
        var steps = new List<(string, IReadOnlyList<string>)>();
        var firstLoads = new List<ReplicatedTable>();
        foreach (var table in tables.Where(t => t.Mode == TableMode.Snapshot))
        {
            var twins = dialect.Snapshot.Twins(table.SlaveName);
            if (await dialect.Snapshot.LiveTwinAsync(slave, null, twins, cancellationToken) is not null)
                continue;
            if (await ExistsAsync(dialect, slave, twins.View, cancellationToken))
                throw new ReplException(
                    $"node {node}: {twins.View} is a table, but {table.Source.Name} is configured in snapshot mode, where {twins.View} is a " +
                    $"view over the twins {twins.First} and {twins.Second}. Drop or rename that table on the node, then run repl init again.");
            foreach (var twin in new[] { twins.First, twins.Second })
                if (!await ExistsAsync(dialect, slave, twin, cancellationToken))
                    steps.Add(($"snapshot twin {twin}", dialect.Schema.Ddl.CreateTable(table.Source, twin)));
            firstLoads.Add(table);
        }
        return (steps, firstLoads);
    }

    /// <summary>What a dry run of init prints for the first load of <paramref name="table"/>, after the twins are created.</summary>
    public static IReadOnlyList<string> DescribeFirstLoad(string node, VendorDialect dialect, ReplicatedTable table)
    {
        var twins = dialect.Snapshot.Twins(table.SlaveName);
        return
        [
            $"-- node {node}: would copy {table.Source.Name} from the master into {twins.First} (one statement, bulk load), then create the view:",
            .. dialect.Snapshot.Flip(table.Source, twins, 1).Select(s => s + "\n;"),
        ];
    }

    /// <summary>The line init prints after a first load.</summary>
    public static string Describe(SnapshotResult result) =>
        $"{SnapshotJob.Describe(result)}; the view {result.Table.Name} reads it (first snapshot).";

    private static async Task<bool> ExistsAsync(VendorDialect dialect, DbConnection slave, Schema.DbObjectName name, CancellationToken cancellationToken)
    {
        var found = await dialect.Schema.Catalog.FindTablesAsync(slave, name, cancellationToken);
        return found.Any(f => f.Name == name.Name);
    }
}
