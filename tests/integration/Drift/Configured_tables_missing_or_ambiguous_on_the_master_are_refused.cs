using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Drift;

/// <summary>
/// A configured table the master does not have, or one whose name matches several master tables, makes init exit 2 with
/// a message naming the config key and (when ambiguous) every candidate, before anything is created; and a MariaDB
/// master's dry run changes nothing.
/// </summary>
public sealed class Configured_tables_missing_or_ambiguous_on_the_master_are_refused
{
    [Fact]
    public async Task A_table_missing_on_the_master_names_its_config_key_and_nothing_is_created()
    {
        string[] schema = ["CREATE TABLE present (id integer PRIMARY KEY)"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql], schema,
            [("present", "log"), ("ghost", "log")]);
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.Contains("tables:1:name: table \"ghost\" was not found on the master", output.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("tables:0", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Fact]
    public async Task A_name_matching_two_tables_that_differ_in_case_lists_both_candidates()
    {
        string[] schema =
        [
            "CREATE TABLE \"Foo\" (id integer PRIMARY KEY)",
            "CREATE TABLE foo (id integer PRIMARY KEY)",
        ];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], schema, [("foo", "log")]);
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.Contains("tables:0:name: table \"foo\" is ambiguous on the master; it matches \"public.Foo\", \"public.foo\"",
            output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("rename one of them", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Fact]
    public async Task A_name_matching_tables_in_two_schemas_asks_for_schema_dot_table()
    {
        string[] schema =
        [
            "CREATE SCHEMA sales",
            "CREATE TABLE sales.orders (id integer PRIMARY KEY)",
            "CREATE TABLE public.orders (id integer PRIMARY KEY)",
        ];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], schema, [("Orders", "log")]);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.Contains("tables:0:name: table \"Orders\" is ambiguous on the master; it matches \"public.orders\", \"sales.orders\". Write the name as schema.table.",
            output.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_on_a_mariadb_master_prints_the_sql_and_leaves_every_catalog_unchanged()
    {
        string[] schema =
        [
            "CREATE TABLE siteusers (siteuserid int PRIMARY KEY, username varchar(40) NOT NULL UNIQUE, email text) ENGINE=InnoDB",
            "INSERT INTO siteusers VALUES (1, 'ann', 'ann@example.com'), (2, 'bob', NULL)",
        ];
        await using var replication = await Replication.CreateAsync(Vendor.MySql, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite], schema,
            [("SiteUsers", "log")]);
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var output = await replication.ReplOkAsync("init", "--dry-run");

        Assert.Contains("-- master", output.Text, StringComparison.Ordinal);
        Assert.Contains("WITH SYSTEM VERSIONING", output.Text, StringComparison.Ordinal);
        Assert.Contains("CREATE OR REPLACE TRIGGER", output.Text, StringComparison.Ordinal);
        Assert.Contains("-- node maria", output.Text, StringComparison.Ordinal);
        Assert.Contains("CREATE OR REPLACE PROCEDURE", output.Text, StringComparison.Ordinal);
        Assert.Contains("-- node lite", output.Text, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was changed", output.Text, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }
}
