using System.Text.Json.Nodes;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.BadInput;

/// <summary>
/// A repl.json with broken JSON or misspelt keys: init exits 2 with one error naming the file and where (line and
/// position, or each key's path), before any database is opened. The full set of config rules is proven in
/// tests/unit/Configuration/ConfigValidationTests; this proves the command line end to end leaves every database alone.
/// </summary>
public sealed class Config_mistakes_are_refused_naming_the_file_and_key_and_touch_no_database
{
    private static readonly string[] Schema = ["CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)"];

    public static TheoryData<Vendor> Masters => [Vendor.PostgreSql, Vendor.MySql];

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Missing_brace_names_the_file_line_and_position_and_changes_nothing(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("things", "log")],
            test: $"{nameof(Missing_brace_names_the_file_line_and_position_and_changes_nothing)}_{master}");
        var text = ConfigEdits.IndentedText(replication);
        // The brace closing "master" is gone: line 5 ends the connection string and line 6 starts "tables".
        var broken = text.Replace("\n  },\n  \"tables\"", "\n  \"tables\"", StringComparison.Ordinal);
        Assert.NotEqual(text, broken);
        await File.WriteAllTextAsync(replication.ConfigPath, broken, TestContext.Current.CancellationToken);
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        var error = ConfigEdits.OneError(output);
        Assert.StartsWith($"error: config {replication.ConfigPath}: 1 problem", error, StringComparison.Ordinal);
        Assert.Contains("invalid JSON at line 5, position ", error, StringComparison.Ordinal);
        Assert.Empty(output.Lines);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Unknown_keys_at_the_top_level_in_a_node_and_in_replay_are_each_named_and_nothing_changes(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("things", "log")],
            test: $"{nameof(Unknown_keys_at_the_top_level_in_a_node_and_in_replay_are_each_named_and_nothing_changes)}_{master}");
        ConfigEdits.Edit(replication, root =>
        {
            root["tabels"] = new JsonArray();
            root["nodes"]!["lite"]!["port"] = 5432;
            root["replay"]!["intervall"] = "00:00:05";
        });
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: config {replication.ConfigPath}: 3 problems", ConfigEdits.OneError(output), StringComparison.Ordinal);
        Assert.Contains("tabels: unknown key; known keys at the top level: ", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("nodes:lite:port: unknown key; known keys at nodes:lite: provider, connectionString", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("replay:intervall: unknown key; known keys at replay: ", output.ErrorText, StringComparison.Ordinal);
        Assert.Empty(output.Lines);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }
}
