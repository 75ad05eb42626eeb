using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Verify;

namespace Repl.IntegrationTests.Verify;

/// <summary>
/// A table larger than the rows verify may hold in memory is matched bucket group by bucket group, and finds exactly the
/// keys the unbounded match finds.
/// </summary>
public sealed class Differing_keys_are_found_with_bounded_memory
{
    [Fact]
    public async Task Bucket_groups_find_every_differing_key()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite],
            ["CREATE TABLE wide (id integer PRIMARY KEY, name text)", "INSERT INTO wide SELECT g, 'row ' || g FROM generate_series(1, 3000) g"],
            [("wide", "log")]);
        await replication.ReplOkAsync("init");
        await Verify_compares_master_and_nodes_across_vendors.ExecuteOnNodeAsync(replication, "lite",
            "DELETE FROM wide WHERE id % 100 = 0",
            "UPDATE wide SET name = 'damaged' WHERE id % 250 = 1",
            "INSERT INTO wide VALUES (5001, 'x'), (5002, 'y'), (5003, 'z')");

        var dialect = VendorDialects.For(Vendor.PostgreSql);
        await using var masterConnection = await replication.OpenMasterAsync();
        var definition = await dialect.Schema.Catalog.ReadTableAsync(masterConnection, new DbObjectName("public", "wide"), CancellationToken.None);
        var table = dialect.Capture!.Describe(definition, Repl.Configuration.TableMode.Log);
        await using var master = await TableSide.BeginAsync(dialect, masterConnection, CancellationToken.None);
        await using var node = await TableSide.BeginAsync(VendorDialects.For(Vendor.Sqlite), await replication.OpenNodeAsync("lite"), CancellationToken.None);

        var bounded = new TableVerifier(maxKeys: 1000, maxRowsInMemory: 200);
        var summary = await bounded.ChecksumAsync(master, definition, definition.Name, CancellationToken.None);
        Assert.Equal(3000, summary.Rows);
        var inGroups = await bounded.DiffAsync(master, table, summary, node, NoLock, CancellationToken.None);
        var atOnce = await new TableVerifier(maxKeys: 1000).DiffAsync(master, table, summary, node, NoLock, CancellationToken.None);

        Assert.Equal((30L, 3L, 12L), (inGroups.Missing, inGroups.Extra, inGroups.Changed));
        Assert.Equal(Lines(atOnce), Lines(inGroups));
        Assert.Contains("changed id=2751 [name]", Lines(inGroups));
        Assert.Contains("missing id=3000", Lines(inGroups));
        Assert.Contains("extra id=5003", Lines(inGroups));
    }

    private static Task<IDisposable> NoLock() => Task.FromResult<IDisposable>(new Nothing());

    private static List<string> Lines(TableDifferences differences) =>
        [.. differences.Listed.Select(d => $"{VerifyReport.Kind(d.Kind)} {KeyText.Of(d.Key)}" + (d.Columns.Count > 0 ? $" [{string.Join(",", d.Columns)}]" : ""))
            .Order(StringComparer.Ordinal)];

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}
