using System.Globalization;
using Npgsql;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Snapshot;

/// <summary>
/// What init does for snapshot-mode tables (twins and view on every slave, the first snapshot, nothing on the master),
/// and what repl snapshot accepts, refuses and prints.
/// </summary>
public sealed class Snapshot_mode_on_init_and_on_the_command_line
{
    private static readonly Vendor[] AllSlaves = [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite];

    [Fact]
    public async Task Init_creates_twins_and_view_loads_the_first_snapshot_and_puts_no_trigger_on_the_master()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, AllSlaves, SnapshotScenario.MasterSchema(Vendor.PostgreSql, 500),
            [(SnapshotScenario.Table, "snapshot")]);

        var output = await replication.ReplOkAsync("init");

        foreach (var (node, vendor, _) in replication.Nodes)
        {
            Assert.Contains($"node {node}: public.AdminUsers: 500 row(s)", output.Text, StringComparison.Ordinal);
            var flip = VendorDialects.For(vendor).Snapshot;
            var twins = flip.Twins(new DbObjectName(null, SnapshotScenario.Table));
            await using var slave = await replication.OpenNodeAsync(node);
            Assert.Equal(1, await flip.LiveTwinAsync(slave, null, twins, CancellationToken.None));
            Assert.Equal(0, await CountAsync(slave, vendor, twins.Second));
        }
        await replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
        await using (var master = new NpgsqlConnection(replication.MasterConnectionString))
        {
            await master.OpenAsync(TestContext.Current.CancellationToken);
            await using var triggers = new NpgsqlCommand("""SELECT count(*) FROM pg_trigger WHERE tgrelid = '"AdminUsers"'::regclass AND NOT tgisinternal""", master);
            Assert.Equal(0L, await triggers.ExecuteScalarAsync(TestContext.Current.CancellationToken));
            await using var logs = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'repl' AND tablename LIKE 'adminusers%'", master);
            Assert.Equal(0L, await logs.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
        Assert.Contains("Nothing to do", (await replication.ReplOkAsync("init")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_dry_run_prints_the_twins_and_the_view_and_creates_nothing()
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, Vendor.PostgreSql, 10, "init_dry_run", init: false);
        var slaveBefore = await CatalogSnapshot.PostgreSqlAsync(scenario.Replication.Nodes[0].ConnectionString);

        var output = await scenario.Replication.ReplOkAsync("init", "--dry-run");

        Assert.Contains("CREATE TABLE \"AdminUsers_snap1\"", output.Text, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE \"AdminUsers_snap2\"", output.Text, StringComparison.Ordinal);
        Assert.Contains("CREATE OR REPLACE VIEW \"AdminUsers\" AS SELECT \"UserID\", \"UserName\", \"Password\", \"EmailAddress\", \"Round\" FROM \"AdminUsers_snap1\"",
            output.Text, StringComparison.Ordinal);
        Assert.Equal(slaveBefore, await CatalogSnapshot.PostgreSqlAsync(scenario.Replication.Nodes[0].ConnectionString));
    }

    [Fact]
    public async Task From_a_MariaDB_master_every_slave_vendor_gets_the_masters_contents()
    {
        await using var replication = await Replication.CreateAsync(Vendor.MySql, AllSlaves, SnapshotScenario.MasterSchema(Vendor.MySql, 2_000),
            [(SnapshotScenario.Table, "snapshot")]);
        await replication.ReplOkAsync("init");
        await replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);

        for (var round = 1; round <= 3; round++)
        {
            await replication.ExecuteOnMasterAsync($"UPDATE AdminUsers SET Round = {round} WHERE UserID % 7 = {round}");
            await replication.ExecuteOnMasterAsync($"DELETE FROM AdminUsers WHERE UserID % 11 = {round}");
            await replication.ExecuteOnMasterAsync($"INSERT INTO AdminUsers VALUES ({10_000 + round}, 'Ünïcödé {round} 😀', 'p', 'e', {round})");
            var output = await replication.ReplOkAsync("snapshot", "adminusers");
            Assert.Equal(3, output.Lines.Count(l => l.Contains(" row(s) in ", StringComparison.Ordinal)));
            await replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
        }
    }

    [Fact]
    public async Task Node_option_snapshots_only_that_node()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.Sqlite],
            SnapshotScenario.MasterSchema(Vendor.PostgreSql, 100), [(SnapshotScenario.Table, "snapshot")]);
        await replication.ReplOkAsync("init");

        var output = await replication.ReplOkAsync("snapshot", SnapshotScenario.Table, "--node", "lite");

        Assert.Contains("node lite: public.AdminUsers: 100 row(s)", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("node pg", output.Text, StringComparison.Ordinal);
        Assert.Equal(1, await LiveTwinAsync(replication, "pg"));
        Assert.Equal(2, await LiveTwinAsync(replication, "lite"));
    }

    [Fact]
    public async Task A_table_in_log_mode_is_refused_naming_it_and_nothing_is_copied()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], SnapshotScenario.MasterSchema(Vendor.PostgreSql, 10),
            [(SnapshotScenario.Table, "log")]);

        var (exit, output) = await replication.ReplAsync("snapshot", SnapshotScenario.Table);

        Assert.Equal(2, exit);
        Assert.Contains("table AdminUsers is configured in log mode", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"snapshot\"", output.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_table_is_refused_listing_the_configured_ones()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], SnapshotScenario.MasterSchema(Vendor.PostgreSql, 10),
            [(SnapshotScenario.Table, "snapshot")]);

        var (exit, output) = await replication.ReplAsync("snapshot", "SiteUsers");

        Assert.Equal(2, exit);
        Assert.Contains("table SiteUsers is not among the config's tables (AdminUsers)", output.ErrorText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    [InlineData(Vendor.Sqlite)]
    public async Task A_snapshot_before_init_asks_for_repl_init(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, 10, $"before_init_{slave}", init: false);

        var (exit, output) = await scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);

        Assert.Equal(2, exit);
        Assert.Contains($"node {scenario.Node}:", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("run repl init", output.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_refuses_a_plain_table_where_the_view_belongs()
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, Vendor.Sqlite, 10, "plain_table_in_the_way", init: false);
        await using (var slave = await scenario.OpenSlaveAsync())
        {
            await using var command = slave.CreateCommand();
            command.CommandText = "CREATE TABLE \"AdminUsers\" (\"UserID\" INTEGER PRIMARY KEY)";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var (exit, output) = await scenario.Replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.Contains("node lite: AdminUsers is a table, but public.AdminUsers is configured in snapshot mode", output.ErrorText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    [InlineData(Vendor.Sqlite)]
    public async Task Snapshot_dry_run_prints_the_load_and_the_flip_and_changes_nothing(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, 10, $"snapshot_dry_run_{slave}");
        await scenario.ChangeMasterAsync(1);

        var output = await scenario.Replication.ReplOkAsync("snapshot", SnapshotScenario.Table, "--dry-run");

        var q = scenario.SlaveSchema.Identifiers;
        var clear = slave == Vendor.Sqlite ? "DELETE FROM" : slave == Vendor.PostgreSql ? "TRUNCATE" : "TRUNCATE TABLE";
        Assert.Contains($"{clear} {q.Quote(scenario.Twins.Second)}", output.Text, StringComparison.Ordinal);
        Assert.Contains($"VIEW {q.Quote(scenario.Twins.View)} AS SELECT", output.Text, StringComparison.Ordinal);
        Assert.Contains("-- dry run: nothing was changed.", output.Text, StringComparison.Ordinal);
        await scenario.AssertViewShowsRoundAsync(0, 1);
        Assert.Equal(0, await scenario.CountAsync(scenario.Twins.Second));
    }

    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    [InlineData(Vendor.Sqlite)]
    public async Task A_view_changed_by_hand_is_refused_and_left_alone(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, 10, $"view_by_hand_{slave}");
        var q = scenario.SlaveSchema.Identifiers;
        await using (var connection = await scenario.OpenSlaveAsync())
        {
            await using var command = connection.CreateCommand();
            foreach (var statement in new[]
            {
                $"CREATE TABLE {q.Quote("by_hand")} AS SELECT * FROM {q.Quote(scenario.Twins.First)} WHERE {q.Quote("UserID")} > 5",
                $"DROP VIEW {q.Quote(scenario.Twins.View)}",
                $"CREATE VIEW {q.Quote(scenario.Twins.View)} AS SELECT * FROM {q.Quote("by_hand")}",
            })
            {
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
        }

        var (exit, output) = await scenario.Replication.ReplAsync("snapshot", SnapshotScenario.Table);

        Assert.Equal(2, exit);
        Assert.Contains($"node {scenario.Node}: the view AdminUsers reads neither AdminUsers_snap1 nor AdminUsers_snap2", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(5, await scenario.CountAsync(scenario.Twins.View));
    }

    [Fact]
    public async Task Snapshot_help_describes_the_verb()
    {
        var output = new TestSupport.RecordingOutput();
        var exit = await new Repl.Cli.ReplCommandLine(output, new Dictionary<string, string?>()).InvokeAsync(["snapshot", "--help"], TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains("Copy snapshot-mode tables whole from the master", output.Text, StringComparison.Ordinal);
        Assert.Contains("--node", output.Text, StringComparison.Ordinal);
        Assert.Contains("--dry-run", output.Text, StringComparison.Ordinal);
        Assert.Contains("<table>...", output.Text, StringComparison.Ordinal);
    }

    private static async Task<int?> LiveTwinAsync(Replication replication, string node)
    {
        var vendor = replication.Nodes.Single(n => n.Name == node).Vendor;
        var flip = VendorDialects.For(vendor).Snapshot;
        await using var slave = await replication.OpenNodeAsync(node);
        return await flip.LiveTwinAsync(slave, null, flip.Twins(new DbObjectName(null, SnapshotScenario.Table)), CancellationToken.None);
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, Vendor vendor, DbObjectName table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {Replication.Dialect(vendor).Identifiers.Quote(table)}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
