using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Replay;

/// <summary>repl init: a second run changes nothing and says so; --dry-run prints SQL per database and changes nothing.</summary>
public sealed class Init_is_idempotent_and_dry_run_changes_nothing
{
    private static readonly string[] Schema =
    [
        "CREATE TABLE siteusers (siteuserid integer PRIMARY KEY, username varchar(40) NOT NULL UNIQUE, email text)",
        "INSERT INTO siteusers VALUES (1, 'ann', 'ann@example.com'), (2, 'bob', NULL)",
    ];

    [Fact]
    public async Task A_second_init_finds_nothing_to_do_and_says_so()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.Sqlite], Schema, [("SiteUsers", "log")]);
        await replication.ReplOkAsync("init");
        var second = await replication.ReplOkAsync("init");
        Assert.Contains("Nothing to do", second.Text, StringComparison.Ordinal);
        await replication.AssertSlavesEqualMasterAsync("siteusers");
    }

    [Fact]
    public async Task Dry_run_prints_the_sql_per_database_and_leaves_both_catalogs_unchanged()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql], Schema, [("siteusers", "log")]);
        var masterBefore = await CatalogSnapshot.PostgreSqlAsync(replication.MasterConnectionString);
        var slaveBefore = await CatalogSnapshot.PostgreSqlAsync(replication.Nodes[0].ConnectionString);

        var output = await replication.ReplOkAsync("init", "--dry-run");

        Assert.Contains("-- master", output.Text, StringComparison.Ordinal);
        Assert.Contains("-- node pg", output.Text, StringComparison.Ordinal);
        Assert.Contains("CREATE OR REPLACE TRIGGER", output.Text, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE \"siteusers\"", output.Text, StringComparison.Ordinal);
        Assert.Equal(masterBefore, await CatalogSnapshot.PostgreSqlAsync(replication.MasterConnectionString));
        Assert.Equal(slaveBefore, await CatalogSnapshot.PostgreSqlAsync(replication.Nodes[0].ConnectionString));
    }
}
