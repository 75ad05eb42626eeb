using System.Diagnostics;
using System.Globalization;
using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// Issue 9: the slave server is restarted while <c>repl snapshot T</c> loads the inactive twin. The view keeps showing a
/// whole snapshot (the previous one when the load was cut, never a half-loaded or empty table), and the next snapshot
/// succeeds and equals the master.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class A_snapshot_survives_a_slave_restart_mid_load(PrivateServersFixture fixture) : IClassFixture<PrivateServersFixture>
{
    private const int Rows = 200_000;

    [Fact]
    public async Task The_view_keeps_the_previous_snapshot_and_the_next_snapshot_succeeds()
    {
        var servers = fixture.Servers;
        var bed = await FaultBed.CreateAsync(servers, Vendor.PostgreSql, [Vendor.MySql],
            ["CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL)",
             $"INSERT INTO items SELECT g, 'v1-' || g FROM generate_series(1, {Rows.ToString(CultureInfo.InvariantCulture)}) g"],
            [("items", "snapshot")], "snapshot_restart", TestContext.Current.CancellationToken);
        await FaultSteps.ReplOkAsync(bed, "init");
        await FaultSteps.ReplOkAsync(bed, "snapshot", "items");
        Assert.Empty((await bed.CompareAsync("items", TestContext.Current.CancellationToken)).Differences);

        await using (var master = await bed.OpenMasterAsync(TestContext.Current.CancellationToken))
            await FaultBed.ExecuteAsync(master, "UPDATE items SET label = 'v2-' || id", TestContext.Current.CancellationToken);
        await using var snapshot = ReplProcess.Start(bed.ConfigPath, FaultSteps.Fast, "snapshot", "items");
        var loading = await LoadSeenAsync(bed, snapshot);
        await servers.StopMySqlAsync(TestContext.Current.CancellationToken);
        await servers.StartMySqlAsync(TestContext.Current.CancellationToken);
        var exit = await snapshot.WaitForExitAsync(TimeSpan.FromMinutes(5));

        await using (var slave = await bed.OpenNodeAsync("maria", TestContext.Current.CancellationToken))
        {
            var v1 = Convert.ToInt64(await FaultBed.ScalarAsync(slave, "SELECT COUNT(*) FROM items WHERE label LIKE 'v1-%'", TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
            var v2 = Convert.ToInt64(await FaultBed.ScalarAsync(slave, "SELECT COUNT(*) FROM items WHERE label LIKE 'v2-%'", TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
            TestContext.Current.TestOutputHelper?.WriteLine($"load seen on the slave before the stop: {loading}; snapshot exit {exit}; view: {v1} v1 rows, {v2} v2 rows\n{snapshot.Output}");
            if (exit == 0)
                Assert.True(v2 == Rows && v1 == 0, $"the snapshot reported success but the view holds {v1} old and {v2} new rows:\n{snapshot.Output}");
            else
                Assert.True(v1 == Rows && v2 == 0, $"the cut snapshot left the view with {v1} old and {v2} new rows instead of the previous snapshot:\n{snapshot.Output}");
        }

        await FaultSteps.ReplOkAsync(bed, "snapshot", "items");
        var after = await bed.CompareAsync("items", TestContext.Current.CancellationToken);
        Assert.True(after.Differing == 0, string.Join("\n", after.Differences));
    }

    // Waits (generously) until the slave server runs a statement on one of the twins, so the stop lands mid-load; false
    // when the snapshot finished before any was seen.
    private static async Task<bool> LoadSeenAsync(FaultBed bed, ReplProcess snapshot)
    {
        await using var probe = await bed.OpenNodeAsync("maria", TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        while (!snapshot.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var busy = await FaultBed.ScalarAsync(probe,
                "SELECT COUNT(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE '%items\\_snap%'",
                TestContext.Current.CancellationToken);
            if (Convert.ToInt64(busy, CultureInfo.InvariantCulture) > 0)
                return true;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return false;
    }
}
