using Repl.Schema;
using Repl.Schema.PostgreSql;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// Snapshot mode: `repl snapshot siteusers --node N` (in-process, timed whole: lock, emptying the inactive twin, the bulk
/// load from one master statement, the view flip) of a table already loaded once by `repl init`, against the vendor's own
/// loader of the same rows into an empty plain table of the same shape (psql \copy, mariadb LOAD DATA LOCAL INFILE),
/// alternating vendor / repl in every round. From the second round on the twin being loaded holds the snapshot before the
/// last one, as it does in production, so the DELETE that empties it is part of the measured time.
/// </summary>
internal static class SnapshotRate
{
    private const double Target = 0.8;

    public static async Task RunAsync(long rows, int rounds)
    {
        Bench.Say(Invariant($"snapshot: repl snapshot of {rows:#,0} siteusers rows vs the vendor's loader into a plain table, {rounds} round(s)"));
        var pgMaster = await SiteUsers.PostgreSqlMasterAsync("bench_snap_master_pg", rows);
        var myMaster = await SiteUsers.MySqlMasterAsync("bench_snap_master_maria", rows);
        var file = await SiteUsers.ExportAsync(pgMaster, rows);
        TableDefinition table;
        await using (var c = await BenchServers.OpenPostgreSqlAsync(pgMaster))
            table = await SiteUsers.DefinitionAsync(c, PostgreSqlSchema.Dialect);

        await PairAsync("postgresql -> postgresql", ("postgresql", pgMaster), "postgresql", rows, rounds,
            r => SiteUsers.PostgreSqlCopyAsync(Invariant($"bench_snap_copy_{r}"), table, file), "psql \\copy");
        await PairAsync("mariadb -> mariadb", ("mysql", myMaster), "mysql", rows, rounds,
            r => SiteUsers.MySqlLoadDataAsync(Invariant($"bench_snap_infile_{r}"), table, file), "LOAD DATA LOCAL INFILE");
        await PairAsync("postgresql -> mariadb", ("postgresql", pgMaster), "mysql", rows, rounds,
            r => SiteUsers.MySqlLoadDataAsync(Invariant($"bench_snap_infile_{r}"), table, file), "LOAD DATA LOCAL INFILE");
    }

    private static async Task PairAsync(string label, (string Provider, string ConnectionString) master, string slaveProvider, long rows,
        int rounds, Func<int, Task<TimeSpan>> vendorLoad, string vendorName)
    {
        var slaveDatabase = Invariant($"bench_snap_{master.Provider}_{slaveProvider}");
        var slave = slaveProvider == "postgresql"
            ? await BenchServers.NewPostgreSqlAsync(slaveDatabase)
            : await BenchServers.NewMySqlAsync(slaveDatabase);
        const string node = "snap";
        var config = Bench.WriteConfig("snapshot", master, [(node, slaveProvider, slave)], [SiteUsers.Name], mode: "snapshot");
        var init = await Bench.TimeAsync(() => Bench.ReplAsync("init", "--config", config));
        Bench.Say(Invariant($"  {label}: repl init (first snapshot into twin 1) {init.TotalSeconds:0.00} s"));

        var vendor = new List<double>();
        var repl = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var baseline = await vendorLoad(r);
            var printed = "";
            var ours = await Bench.TimeAsync(async () => printed = await Bench.ReplAsync("snapshot", SiteUsers.Name, "--config", config));
            vendor.Add(rows / baseline.TotalSeconds);
            repl.Add(rows / ours.TotalSeconds);
            ratios.Add(baseline.TotalSeconds / ours.TotalSeconds);
            Bench.Say(Invariant($"  {label} round {r + 1}: {vendorName} {baseline.TotalSeconds:0.00} s, repl snapshot {ours.TotalSeconds:0.00} s, ratio {ratios[^1]:0.00}"));
            Bench.Say("    repl: " + printed.Trim().Split('\n')[^1]);
        }
        var median = Bench.Median(ratios);
        Bench.Say(Invariant($"snapshot {label}: {vendorName} {Bench.List(vendor)} rows/s, repl snapshot {Bench.List(repl)} rows/s, ") +
                  Invariant($"ratio per round {Bench.List(ratios, "0.00")}, median {median:0.00} (target >= {Target:0.0}) {Bench.Verdict(median >= Target)}"));
    }
}
