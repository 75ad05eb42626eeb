using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Verify;

/// <summary>--node and --table narrow what verify reads; an unknown name is refused with exit 2, naming the known ones.</summary>
public sealed class Verify_filters_and_refuses_unknown_names
{
    [Fact]
    public async Task Node_and_table_filters_limit_the_report_and_unknown_names_exit_2()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.Sqlite],
            VerifyScenario.MasterSchema(Vendor.PostgreSql), [(VerifyScenario.Everything, "log"), ("tags", "log")]);
        await replication.ReplOkAsync("init");
        await Verify_compares_master_and_nodes_across_vendors.ExecuteOnNodeAsync(replication, "pg", "DELETE FROM tags WHERE code = 'Z'");

        var (all, allReport, allText) = await VerifyScenario.VerifyJsonAsync(replication);
        Assert.True(all == 1, allText);
        Assert.Equal(2, allReport.GetProperty("nodes").GetArrayLength());
        Assert.Equal(["missing region='us',code='Z'"], VerifyScenario.Keys(allReport, "pg", "tags"));

        var (lite, liteReport, liteText) = await VerifyScenario.VerifyJsonAsync(replication, "--node", "lite");
        Assert.True(lite == 0, liteText);
        Assert.Equal("lite", Assert.Single(liteReport.GetProperty("nodes").EnumerateArray()).GetProperty("node").GetString());

        var (everything, everythingReport, everythingText) = await VerifyScenario.VerifyJsonAsync(replication, "--node", "pg", "--table", "public.Everything");
        Assert.True(everything == 0, everythingText);
        var tables = Assert.Single(everythingReport.GetProperty("nodes").EnumerateArray()).GetProperty("tables");
        Assert.Equal("public.everything", Assert.Single(tables.EnumerateArray()).GetProperty("table").GetString());

        var (badTable, badTableOutput) = await replication.ReplAsync("verify", "--table", "nosuch");
        Assert.Equal(2, badTable);
        Assert.Contains("table nosuch is not among the config's tables (everything, tags)", badTableOutput.ErrorText, StringComparison.Ordinal);

        var (badNode, badNodeOutput) = await replication.ReplAsync("verify", "--node", "ghost");
        Assert.Equal(2, badNode);
        Assert.Contains("no node named \"ghost\"; configured nodes: pg, lite", badNodeOutput.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_table_dropped_by_hand_exits_2_naming_node_and_table()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], VerifyScenario.MasterSchema(Vendor.PostgreSql),
            [(VerifyScenario.Everything, "log"), ("tags", "log")]);
        await replication.ReplOkAsync("init");
        await Verify_compares_master_and_nodes_across_vendors.ExecuteOnNodeAsync(replication, "lite", "DROP TABLE tags");

        var (exit, output) = await replication.ReplAsync("verify");

        Assert.Equal(2, exit);
        Assert.Contains("node lite: table tags, the copy of master table public.tags, could not be compared", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("run repl init", output.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_every_option()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], VerifyScenario.MasterSchema(Vendor.PostgreSql),
            [(VerifyScenario.Everything, "log")]);
        var output = await replication.ReplOkAsync("verify", "--help");
        foreach (var option in new[] { "--node", "--table", "--json", "--max-keys", "--config" })
            Assert.Contains(option, output.Text, StringComparison.Ordinal);
        Assert.Contains("Exit 0 when everything is equal, 1 when anything differs", output.Text, StringComparison.Ordinal);
    }
}
