using System.Data.Common;
using System.Text.Json.Nodes;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Uninstall;

/// <summary>
/// repl uninstall --nodes, after init and some replayed work, for a PostgreSQL and a MariaDB master feeding PostgreSQL,
/// MariaDB and SQLite slaves: the master's catalog is exactly what it was before init, the master's rows are untouched,
/// every slave table keeps its rows, the apply routines are gone, and a second run finds nothing to remove.
/// </summary>
public sealed class Uninstall_removes_what_init_created_and_keeps_user_data
{
    private static readonly Vendor[] Slaves = [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite];

    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Uninstall_with_nodes_restores_the_master_catalog_and_keeps_every_row(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 4242);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Uninstall_with_nodes_restores_the_master_catalog_and_keeps_every_row)}_{master}");
        await RunWorkloadAsync(replication, workload, 60);
        var masterBefore = await CatalogSnapshot.OfAsync(master, replication.MasterConnectionString);

        await replication.ReplOkAsync("init");
        await RunWorkloadAsync(replication, workload, 60);
        foreach (var (node, _, _) in replication.Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        Assert.NotEqual(masterBefore, await CatalogSnapshot.OfAsync(master, replication.MasterConnectionString));
        var rowsBefore = await MasterRowsAsync(replication);

        var output = await replication.ReplOkAsync("uninstall", "--nodes");

        Assert.Contains("uninstall done", output.Text, StringComparison.Ordinal);
        Assert.Contains("Slave tables and their rows are kept", output.Text, StringComparison.Ordinal);
        Assert.Equal(masterBefore, await CatalogSnapshot.OfAsync(master, replication.MasterConnectionString));
        await AssertSameRowsAsync(replication, rowsBefore);
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
        foreach (var (node, vendor, connectionString) in replication.Nodes)
        {
            var catalog = await CatalogSnapshot.OfAsync(vendor, connectionString);
            Assert.DoesNotContain("function repl.apply", catalog, StringComparison.Ordinal);
            Assert.DoesNotContain("routine PROCEDURE", catalog, StringComparison.Ordinal);
            Assert.Contains("accounts", catalog, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task A_second_uninstall_finds_nothing_to_remove_and_changes_nothing(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 77);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(A_second_uninstall_finds_nothing_to_remove_and_changes_nothing)}_{master}");
        await RunWorkloadAsync(replication, workload, 20);
        await replication.ReplOkAsync("init");
        await replication.ReplOkAsync("uninstall", "--nodes");
        var after = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var second = await replication.ReplOkAsync("uninstall", "--nodes");

        Assert.Contains("Nothing to remove", second.Text, StringComparison.Ordinal);
        Assert.Equal(after, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Dry_run_prints_the_drops_per_database_and_changes_nothing(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 5);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Dry_run_prints_the_drops_per_database_and_changes_nothing)}_{master}");
        await RunWorkloadAsync(replication, workload, 20);
        await replication.ReplOkAsync("init");
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var output = await replication.ReplOkAsync("uninstall", "--nodes", "--dry-run");

        Assert.Contains("-- master", output.Text, StringComparison.Ordinal);
        Assert.Contains("DROP TRIGGER IF EXISTS", output.Text, StringComparison.Ordinal);
        Assert.Contains("-- node pg", output.Text, StringComparison.Ordinal);
        Assert.Contains("DROP FUNCTION IF EXISTS", output.Text, StringComparison.Ordinal);
        Assert.Contains("-- node maria", output.Text, StringComparison.Ordinal);
        Assert.Contains("DROP PROCEDURE IF EXISTS", output.Text, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was changed", output.Text, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
        // Still replicating: the dry run left capture and routines in place.
        await RunWorkloadAsync(replication, workload, 20);
        foreach (var (node, _, _) in replication.Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        await replication.AssertSlavesEqualMasterAsync("accounts");
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Tables_dropped_from_the_config_or_from_the_master_since_init_are_removed_too(Vendor master)
    {
        string[] schema =
        [
            "CREATE TABLE kept (id integer PRIMARY KEY, name varchar(20))",
            "CREATE TABLE unlisted (id integer PRIMARY KEY, name varchar(20))",
            "CREATE TABLE doomed (id integer PRIMARY KEY, name varchar(20))",
            "INSERT INTO kept VALUES (1, 'a'), (2, 'b')",
            "INSERT INTO unlisted VALUES (1, 'c')",
            "INSERT INTO doomed VALUES (1, 'd')",
        ];
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.MySql], schema,
            [("kept", "log"), ("unlisted", "log"), ("doomed", "log")],
            test: $"{nameof(Tables_dropped_from_the_config_or_from_the_master_since_init_are_removed_too)}_{master}");
        var before = await CatalogSnapshot.OfAsync(master, replication.MasterConnectionString);
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("DROP TABLE doomed");
        KeepOnlyTable(replication.ConfigPath, "kept");

        var output = await replication.ReplOkAsync("uninstall", "--nodes");

        Assert.Contains("doomed is gone from the master", output.Text, StringComparison.Ordinal);
        var withoutDoomed = string.Join("\n", before.Split('\n').Where(l => !l.Contains("doomed", StringComparison.Ordinal)));
        Assert.Equal(withoutDoomed, await CatalogSnapshot.OfAsync(master, replication.MasterConnectionString));
        foreach (var (_, vendor, connectionString) in replication.Nodes)
        {
            var catalog = await CatalogSnapshot.OfAsync(vendor, connectionString);
            Assert.DoesNotContain("apply", catalog, StringComparison.Ordinal);
            Assert.Contains("unlisted", catalog, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Uninstall_refuses_while_a_replay_holds_a_node_and_removes_nothing()
    {
        string[] schema = ["CREATE TABLE kept (id integer PRIMARY KEY, name varchar(20))"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql], schema, [("kept", "log")]);
        await replication.ReplOkAsync("init");
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);
        await using var replay = await replication.OpenMasterAsync();
        Assert.True(await VendorDialects.For(Vendor.PostgreSql).Master!.TryLockNodeAsync(replay, "pg", CancellationToken.None));

        var (exit, output) = await replication.ReplAsync("uninstall", "--nodes");

        Assert.Equal(2, exit);
        Assert.Contains("node pg: a repl replay is running", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Fact]
    public async Task Node_locks_of_mariadb_masters_in_two_databases_of_one_server_are_independent()
    {
        // GET_LOCK names are server-wide: without the database in them, one master's replay (or init, or uninstall)
        // would lock out a node of the same name on every other master of the server.
        var reader = VendorDialects.For(Vendor.MySql).Master!;
        var one = await TestServers.NewMySqlDatabaseAsync("one");
        await using var first = await Replication.OpenAsync(Vendor.MySql, one);
        await using var second = await Replication.OpenAsync(Vendor.MySql, await TestServers.NewMySqlDatabaseAsync("two"));
        await using var firstAgain = await Replication.OpenAsync(Vendor.MySql, one);

        Assert.True(await reader.TryLockNodeAsync(first, "pg", CancellationToken.None));
        Assert.True(await reader.TryLockNodeAsync(second, "pg", CancellationToken.None));
        Assert.False(await reader.TryLockNodeAsync(firstAgain, "pg", CancellationToken.None));
    }

    private static void KeepOnlyTable(string configPath, string table)
    {
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["tables"] = new JsonArray(new JsonObject { ["name"] = table, ["mode"] = "log" });
        File.WriteAllText(configPath, config.ToJsonString());
    }

    private static async Task RunWorkloadAsync(Replication replication, RandomWorkload workload, int transactions)
    {
        await using var connection = await replication.OpenMasterAsync();
        await workload.RunAsync(connection, transactions);
    }

    private static async Task<Dictionary<string, (TableDefinition Table, Dictionary<string, object?[]> Rows)>> MasterRowsAsync(Replication replication)
    {
        var dialect = Replication.Dialect(replication.Master);
        await using var connection = await replication.OpenMasterAsync();
        var rows = new Dictionary<string, (TableDefinition, Dictionary<string, object?[]>)>(StringComparer.Ordinal);
        foreach (var (table, _) in RandomWorkload.Tables)
        {
            var definition = await ReadAsync(dialect, connection, table);
            rows[table] = (definition, await RowComparer.ReadAsync(connection, dialect, definition, definition.Name));
        }
        return rows;
    }

    private static async Task AssertSameRowsAsync(Replication replication,
        Dictionary<string, (TableDefinition Table, Dictionary<string, object?[]> Rows)> before)
    {
        var dialect = Replication.Dialect(replication.Master);
        await using var connection = await replication.OpenMasterAsync();
        foreach (var (table, (definition, rows)) in before)
        {
            Assert.Equal(ColumnSignature.Of(definition), ColumnSignature.Of(await ReadAsync(dialect, connection, table)));
            var now = await RowComparer.ReadAsync(connection, dialect, definition, definition.Name);
            var differences = RowComparer.Differences(rows, now, definition);
            Assert.True(differences.Count == 0, $"uninstall changed rows of {table} on the master:\n{string.Join("\n", differences)}");
            Assert.Equal(rows.Count, now.Count);
        }
    }

    private static async Task<TableDefinition> ReadAsync(SchemaDialect dialect, DbConnection connection, string table)
    {
        var found = await dialect.Catalog.FindTablesAsync(connection, new DbObjectName(null, table), CancellationToken.None);
        return await dialect.Catalog.ReadTableAsync(connection, Assert.Single(found), CancellationToken.None);
    }
}
