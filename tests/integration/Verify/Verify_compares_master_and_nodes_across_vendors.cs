using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Verify;

/// <summary>
/// Issue 7: repl verify reports equal after init and replay for every master/slave pair (checksums of canonical values
/// agree across vendors), and names exactly the keys of one changed, one missing and one extra row injected on a slave.
/// </summary>
public sealed class Verify_compares_master_and_nodes_across_vendors
{
    public static TheoryData<Vendor, Vendor> Pairs => new()
    {
        { Vendor.PostgreSql, Vendor.PostgreSql }, { Vendor.PostgreSql, Vendor.MySql }, { Vendor.PostgreSql, Vendor.Sqlite },
        { Vendor.MySql, Vendor.PostgreSql },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Master_and_node_are_equal_after_init_and_replay(Vendor master, Vendor slave)
    {
        await using var replication = await VerifyScenario.CreateAsync(master, slave, $"{nameof(Master_and_node_are_equal_after_init_and_replay)}_{master}_{slave}");
        var node = replication.Nodes[0].Name;
        await replication.ExecuteOnMasterAsync("UPDATE everything SET name = 'changed', price = 2.50 WHERE id = 3");
        await replication.ExecuteOnMasterAsync("DELETE FROM everything WHERE id = 10");
        await replication.ExecuteOnMasterAsync("INSERT INTO tags VALUES ('eu', 'A', 'new upper a')");
        await replication.ReplOkAsync("replay", "--node", node, "--once");

        var (exit, report, text) = await VerifyScenario.VerifyJsonAsync(replication);

        Assert.True(exit == 0, text);
        Assert.True(report.GetProperty("equal").GetBoolean());
        var tables = report.GetProperty("nodes")[0].GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(3, tables.Count);
        Assert.All(tables, t => Assert.Equal(t.GetProperty("master").GetProperty("checksum").GetString(), t.GetProperty("node").GetProperty("checksum").GetString()));
        Assert.Equal(59, tables[0].GetProperty("node").GetProperty("rows").GetInt64());
        Assert.Equal(7, tables[1].GetProperty("node").GetProperty("rows").GetInt64());
        Assert.Equal("snapshot", tables[2].GetProperty("mode").GetString());
        Assert.Equal(0, report.GetProperty("nodes")[0].GetProperty("pendingTransactions").GetInt64());

        var plain = await replication.ReplOkAsync("verify");
        Assert.Contains("all equal", plain.Text, StringComparison.Ordinal);
        Assert.Contains($"node {node}: 0 transaction(s) pending", plain.Text, StringComparison.Ordinal);
        // Independent of repl's own reading: the vendors' clients agree too.
        await replication.AssertSlavesEqualMasterAsync(VerifyScenario.Everything);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task One_changed_one_missing_and_one_extra_row_are_named_by_key_and_kind(Vendor master, Vendor slave)
    {
        await using var replication = await VerifyScenario.CreateAsync(master, slave, $"{nameof(One_changed_one_missing_and_one_extra_row_are_named_by_key_and_kind)}_{master}_{slave}");
        var node = replication.Nodes[0].Name;
        await ExecuteOnNodeAsync(replication, node,
            "UPDATE everything SET body = 'damaged' WHERE id = 3",
            "DELETE FROM everything WHERE id = 4",
            "INSERT INTO everything (id, name) VALUES (99, 'stray')",
            "UPDATE tags SET note = 'damaged' WHERE region = 'eu' AND code = 'b'");

        var (exit, report, text) = await VerifyScenario.VerifyJsonAsync(replication);

        Assert.True(exit == 1, text);
        Assert.False(report.GetProperty("equal").GetBoolean());
        Assert.Equal(["changed id=3 [body]", "extra id=99", "missing id=4"], VerifyScenario.Keys(report, node, VerifyScenario.Everything));
        Assert.Equal(["changed region='eu',code='b' [note]"], VerifyScenario.Keys(report, node, "tags"));
        Assert.Empty(VerifyScenario.Keys(report, node, "AdminUsers"));
        var everything = report.GetProperty("nodes")[0].GetProperty("tables")[0];
        Assert.Equal(60, everything.GetProperty("master").GetProperty("rows").GetInt64());
        Assert.Equal(60, everything.GetProperty("node").GetProperty("rows").GetInt64());
        Assert.Equal(3, everything.GetProperty("differences").GetProperty("total").GetInt64());

        var (plainExit, plain) = await replication.ReplAsync("verify", "--table", VerifyScenario.Everything);
        Assert.Equal(1, plainExit);
        Assert.Contains("everything: changed key id=3 (columns body)", plain.Text, StringComparison.Ordinal);
        Assert.Contains("missing key id=4", plain.Text, StringComparison.Ordinal);
        Assert.Contains("extra key id=99", plain.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("tags", plain.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_keys_limits_the_listed_keys_but_every_difference_is_counted()
    {
        await using var replication = await VerifyScenario.CreateAsync(Vendor.PostgreSql, Vendor.PostgreSql, nameof(Max_keys_limits_the_listed_keys_but_every_difference_is_counted));
        await ExecuteOnNodeAsync(replication, "pg", "DELETE FROM everything WHERE id BETWEEN 20 AND 44");

        var (exit, report, text) = await VerifyScenario.VerifyJsonAsync(replication, "--max-keys", "5", "--table", "EVERYTHING");

        Assert.True(exit == 1, text);
        var differences = report.GetProperty("nodes")[0].GetProperty("tables")[0].GetProperty("differences");
        Assert.Equal(25, differences.GetProperty("missing").GetInt64());
        Assert.Equal(5, differences.GetProperty("keys").GetArrayLength());
        Assert.Single(report.GetProperty("nodes")[0].GetProperty("tables").EnumerateArray());
    }

    [Fact]
    public async Task A_lagging_node_shows_its_pending_transactions()
    {
        await using var replication = await VerifyScenario.CreateAsync(Vendor.PostgreSql, Vendor.Sqlite, nameof(A_lagging_node_shows_its_pending_transactions));
        await replication.ExecuteOnMasterAsync("UPDATE everything SET name = 'one' WHERE id = 5");
        await replication.ExecuteOnMasterAsync("UPDATE everything SET name = 'two' WHERE id = 6");

        var (exit, report, text) = await VerifyScenario.VerifyJsonAsync(replication);

        Assert.True(exit == 1, text);
        Assert.Equal(2, report.GetProperty("nodes")[0].GetProperty("pendingTransactions").GetInt64());
        Assert.Equal(["changed id=5 [name]", "changed id=6 [name]"], VerifyScenario.Keys(report, "lite", VerifyScenario.Everything));
        var (_, plain) = await replication.ReplAsync("verify");
        Assert.Contains("node lite: 2 transaction(s) pending on the master when verify read it; some differences may be lag", plain.Text, StringComparison.Ordinal);
    }

    internal static async Task ExecuteOnNodeAsync(Replication replication, string node, params string[] statements)
    {
        await using var connection = await replication.OpenNodeAsync(node);
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}
