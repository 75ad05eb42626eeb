using System.Text.Json.Nodes;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.IntegrationTests.Purge;
using Repl.Schema;

namespace Repl.IntegrationTests.Nodes;

/// <summary>
/// repl node add, node remove and resync on PostgreSQL and MariaDB masters feeding a PostgreSQL and a SQLite slave:
/// removing a stopped node lets purge shrink the logs; adding a node that is new in repl.json yields a slave equal to
/// the master; resync repairs a slave table damaged by hand; unknown node names and a running replay are refused.
/// </summary>
public sealed class Node_add_remove_and_resync
{
    private static readonly Vendor[] Slaves = [Vendor.PostgreSql, Vendor.Sqlite];

    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Removing_a_stopped_node_lets_purge_shrink_the_logs(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 12);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Removing_a_stopped_node_lets_purge_shrink_the_logs)}_{master}");
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 40);
        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
        await replication.ReplOkAsync("purge");
        var held = await MasterLogs.RowsAsync(replication);
        Assert.True(held > 0, "the stopped node lite should hold the log rows back");

        var dryRun = await replication.ReplOkAsync("node", "remove", "lite", "--dry-run");
        Assert.Contains("DROP TABLE", dryRun.Text, StringComparison.Ordinal);
        Assert.True(await MasterLogs.ProcessedTableExistsAsync(replication, "lite"));

        var output = await replication.ReplOkAsync("node", "remove", "lite");

        Assert.Contains("purge no longer waits for it", output.Text, StringComparison.Ordinal);
        Assert.Contains("still under \"nodes\"", output.Text, StringComparison.Ordinal);
        Assert.False(await MasterLogs.ProcessedTableExistsAsync(replication, "lite"));
        await replication.ReplOkAsync("purge");
        Assert.Equal(0, await MasterLogs.RowsAsync(replication));
        Assert.Equal(0, await MasterLogs.ProcessedRowsAsync(replication, "pg"));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Adding_a_node_new_in_the_config_yields_a_slave_equal_to_the_master(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 77);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Adding_a_node_new_in_the_config_yields_a_slave_equal_to_the_master)}_{master}");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 40);
        var full = await File.ReadAllTextAsync(replication.ConfigPath, TestContext.Current.CancellationToken);
        var withoutLite = JsonNode.Parse(full)!;
        withoutLite["nodes"]!.AsObject().Remove("lite");
        await File.WriteAllTextAsync(replication.ConfigPath, withoutLite.ToJsonString(), TestContext.Current.CancellationToken);
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 40);
        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
        await File.WriteAllTextAsync(replication.ConfigPath, full, TestContext.Current.CancellationToken);

        var output = await replication.ReplOkAsync("node", "add", "lite");

        Assert.Contains("node lite: loaded", output.Text, StringComparison.Ordinal);
        Assert.True(await MasterLogs.ProcessedTableExistsAsync(replication, "lite"));
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
        // From here on it replays like any node.
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 40);
        foreach (var node in new[] { "pg", "lite" })
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
        var again = await replication.ReplOkAsync("node", "add", "lite");
        Assert.Contains("already registered", again.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Resync_repairs_a_slave_table_damaged_by_hand(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 5150);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Resync_repairs_a_slave_table_damaged_by_hand)}_{master}");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 60);
        await replication.ReplOkAsync("init");
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 20);
        await replication.ReplOkAsync("replay", "--node", "pg", "--once");
        await using (var slave = await replication.OpenNodeAsync("pg"))
        {
            foreach (var sql in new[]
            {
                "DELETE FROM accounts WHERE id IN (SELECT id FROM (SELECT id FROM accounts ORDER BY id LIMIT 3) x)",
                "UPDATE accounts SET note = 'damaged by hand' WHERE id = (SELECT max(id) FROM accounts)",
                "INSERT INTO accounts (id, owner, balance, updated) VALUES (999999, 'extra row', 1, '2020-01-01 00:00:00')",
            })
            {
                await using var command = slave.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
        }
        await Assert.ThrowsAnyAsync<Exception>(() => replication.AssertSlavesEqualMasterAsync("accounts"));
        // Pending changes for the other table, and for lite, stay pending until their own cycle.
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 20);

        var dryRun = await replication.ReplOkAsync("resync", "--node", "pg", "--table", "ACCOUNTS", "--dry-run");
        Assert.Contains("DELETE FROM", dryRun.Text, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was changed", dryRun.Text, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => replication.AssertSlavesEqualMasterAsync("accounts"));

        var output = await replication.ReplOkAsync("resync", "--node", "pg", "--table", "ACCOUNTS");

        Assert.Contains("row(s) copied from one master snapshot", output.Text, StringComparison.Ordinal);
        await replication.ReplOkAsync("replay", "--node", "lite", "--once");
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 20);
        foreach (var node in new[] { "pg", "lite" })
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task An_unknown_node_is_named_with_the_known_ones_exit_2_and_nothing_changes(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 3);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(An_unknown_node_is_named_with_the_known_ones_exit_2_and_nothing_changes)}_{master}");
        await replication.ReplOkAsync("init");
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        foreach (var args in new[] { new[] { "node", "remove", "ghost" }, ["node", "add", "ghost"], ["resync", "--node", "ghost"] })
        {
            var (exit, output) = await replication.ReplAsync(args);

            Assert.Equal(2, exit);
            Assert.Contains("ghost", output.ErrorText, StringComparison.Ordinal);
            Assert.Matches("nodes: (pg, lite|lite, pg)", output.ErrorText);
        }
        var (tableExit, tableOutput) = await replication.ReplAsync("resync", "--node", "pg", "--table", "nosuchtable");
        Assert.Equal(2, tableExit);
        Assert.Contains("nosuchtable", tableOutput.ErrorText, StringComparison.Ordinal);
        Assert.Contains("accounts", tableOutput.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Node_remove_and_resync_are_refused_while_the_node_is_replaying(Vendor master)
    {
        var workload = new RandomWorkload(master, seed: 4);
        await using var replication = await Replication.CreateAsync(master, Slaves, workload.Schema, RandomWorkload.Tables,
            test: $"{nameof(Node_remove_and_resync_are_refused_while_the_node_is_replaying)}_{master}");
        await replication.ReplOkAsync("init");
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);
        await using var replay = await replication.OpenMasterAsync();
        Assert.True(await VendorDialects.For(master).Master!.TryLockNodeAsync(replay, "lite", TestContext.Current.CancellationToken));

        foreach (var args in new[] { new[] { "node", "remove", "lite" }, ["resync", "--node", "lite"] })
        {
            var (exit, output) = await replication.ReplAsync(args);

            Assert.Equal(2, exit);
            Assert.Contains("node lite: a repl replay is running", output.ErrorText, StringComparison.Ordinal);
        }
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
        Assert.True(await MasterLogs.ProcessedTableExistsAsync(replication, "lite"));
    }
}
