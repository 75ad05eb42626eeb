using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Replay;

/// <summary>
/// For every master → slave pair (PostgreSQL and MariaDB masters; PostgreSQL, MariaDB and SQLite slaves): init loads the
/// slaves, a random workload with every trap of DESIGN §5 runs on the master, replay --once applies it, and every slave
/// equals the master, compared by a reader that does not use the apply code. Three rounds, so later cycles apply on top
/// of earlier ones.
/// </summary>
public sealed class Slaves_equal_master_after_random_workload
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public Task Every_slave_vendor_equals_the_master_after_each_replay(Vendor master) =>
        RunAsync(master, captureExtension: false, $"{nameof(Every_slave_vendor_equals_the_master_after_each_replay)}_{master}");

    /// <summary>The same with the repl_capture extension on the PostgreSQL master: init installs its C row triggers.</summary>
    [Fact]
    public Task Every_slave_vendor_equals_a_master_captured_by_the_C_trigger_function() =>
        RunAsync(Vendor.PostgreSql, captureExtension: true, nameof(Every_slave_vendor_equals_a_master_captured_by_the_C_trigger_function));

    private static async Task RunAsync(Vendor master, bool captureExtension, string test)
    {
        var workload = new RandomWorkload(master, seed: 20261129);
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            workload.Schema, RandomWorkload.Tables, test: test);
        if (captureExtension)
            await TestServers.CreateCaptureExtensionAsync(replication.MasterConnectionString);

        await using (var connection = await replication.OpenMasterAsync())
            await workload.RunAsync(connection, 150);
        await replication.ReplOkAsync("init");
        // Every log-mode table's row triggers call the C function, or none does.
        Assert.Equal(captureExtension, await CallsCaptureFunctionAsync(replication));
        await AssertAllEqualAsync(replication);

        for (var round = 0; round < 3; round++)
        {
            await using (var connection = await replication.OpenMasterAsync())
                await workload.RunAsync(connection, 200);
            foreach (var (node, _, _) in replication.Nodes)
                await replication.ReplOkAsync("replay", "--node", node, "--once");
            await AssertAllEqualAsync(replication);
        }
    }

    private static async Task<bool> CallsCaptureFunctionAsync(Replication replication)
    {
        if (replication.Master != Vendor.PostgreSql)
            return false;
        await using var connection = await replication.OpenMasterAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FILTER (WHERE p.proname = 'repl_capture'), count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid " +
            "WHERE NOT t.tgisinternal AND t.tgname LIKE 'repl%' AND (t.tgtype & 1) = 1";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (c, all) = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.True(all > 0, "no row triggers were installed");
        Assert.True(c == 0 || c == all, $"{c} of {all} row triggers call repl_capture");
        return c > 0;
    }

    private static async Task AssertAllEqualAsync(Replication replication)
    {
        foreach (var (table, _) in RandomWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }
}
