using System.Text.Json.Nodes;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.BadInput;

/// <summary>
/// Names written to smuggle SQL: a node name is refused by config validation naming it, a table name the master does
/// not have is refused naming it, and nothing of either reaches a database (the canary table "users" is still there
/// and no catalog changed). The node-name rules themselves are proven in tests/unit/Configuration.
/// </summary>
public sealed class Node_and_table_names_holding_quotes_and_sql_are_refused_and_run_nothing
{
    private static readonly string[] Schema =
    [
        "CREATE TABLE things (id integer PRIMARY KEY)",
        "CREATE TABLE users (id integer PRIMARY KEY)",
        "INSERT INTO users VALUES (1)",
    ];

    public static TheoryData<Vendor> Masters => [Vendor.PostgreSql, Vendor.MySql];

    public static TheoryData<Vendor, string> HostileTables => new()
    {
        { Vendor.PostgreSql, "\"t; DROP TABLE users\"" },
        { Vendor.MySql, "\"t; DROP TABLE users\"" },
        { Vendor.PostgreSql, "x'; DROP TABLE users; --" },
        { Vendor.MySql, "x`; DROP TABLE users; --" },
    };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task A_node_name_holding_sql_is_refused_naming_it(Vendor master)
    {
        const string hostile = "x'; DROP TABLE users; --";
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("things", "log")],
            test: $"{nameof(A_node_name_holding_sql_is_refused_naming_it)}_{master}");
        ConfigEdits.Edit(replication, root =>
        {
            var nodes = root["nodes"]!.AsObject();
            var lite = nodes["lite"]!.DeepClone();
            nodes.Remove("lite");
            nodes[hostile] = lite;
        });
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: config {replication.ConfigPath}: 1 problem", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains($"nodes:{hostile}: node name \"{hostile}\" cannot be used", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(1, await ConfigEdits.MasterRowsAsync(replication, "users"));
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(HostileTables))]
    public async Task A_table_name_holding_sql_is_refused_as_not_found_naming_it(Vendor master, string hostile)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("things", "log")],
            test: $"{nameof(A_table_name_holding_sql_is_refused_as_not_found_naming_it)}_{master}_{hostile.Length}");
        ConfigEdits.Edit(replication, root => root["tables"]!.AsArray().Add(new JsonObject { ["name"] = hostile, ["mode"] = "log" }));
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        var error = ConfigEdits.OneError(output);
        Assert.StartsWith($"error: config {replication.ConfigPath}: 1 problem", error, StringComparison.Ordinal);
        Assert.Contains($"tables:1:name: table \"{hostile}\" was not found on the master", error, StringComparison.Ordinal);
        Assert.Equal(1, await ConfigEdits.MasterRowsAsync(replication, "users"));
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }
}
