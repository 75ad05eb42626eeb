using Repl.Schema;
using Repl.Schema.PostgreSql;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// Initial load: `repl init` (run in-process through the command line, timed whole: triggers, slave table, apply routine,
/// the copy from one master snapshot, the processed marks) against the vendor's own loader of the same rows into a table of
/// the same shape (psql \copy, mariadb LOAD DATA LOCAL INFILE), alternating vendor / repl in every round.
/// </summary>
internal static class InitialLoad
{
    private const double Target = 0.6;

    public static async Task RunAsync(long rows, int rounds)
    {
        Bench.Say(Invariant($"load: repl init of {rows:#,0} siteusers rows vs the vendor's loader, {rounds} round(s)"));
        var pgMaster = await SiteUsers.PostgreSqlMasterAsync("bench_load_master_pg", rows);
        var myMaster = await SiteUsers.MySqlMasterAsync("bench_load_master_maria", rows);
        var file = await SiteUsers.ExportAsync(pgMaster, rows);
        var table = await DefinitionAsync(pgMaster);

        await PairAsync(1, "postgresql -> postgresql", ("postgresql", pgMaster), "postgresql", rows, rounds,
            r => SiteUsers.PostgreSqlCopyAsync(Invariant($"bench_load_copy_{r}"), table, file), "psql \\copy");
        await PairAsync(2, "postgresql -> mariadb", ("postgresql", pgMaster), "mysql", rows, rounds,
            r => SiteUsers.MySqlLoadDataAsync(Invariant($"bench_load_infile_{r}"), table, file), "LOAD DATA LOCAL INFILE");
        await PairAsync(3, "mariadb -> mariadb", ("mysql", myMaster), "mysql", rows, rounds,
            r => SiteUsers.MySqlLoadDataAsync(Invariant($"bench_load_infile_{r}"), table, file), "LOAD DATA LOCAL INFILE");
    }

    private static async Task PairAsync(int pair, string label, (string Provider, string ConnectionString) master, string slaveProvider, long rows, int rounds,
        Func<int, Task<TimeSpan>> vendorLoad, string vendorName)
    {
        var vendor = new List<double>();
        var repl = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var baseline = await vendorLoad(r);
            var slaveDatabase = Invariant($"bench_load_{slaveProvider}_{r}");
            var slave = slaveProvider == "postgresql"
                ? await BenchServers.NewPostgreSqlAsync(slaveDatabase)
                : await BenchServers.NewMySqlAsync(slaveDatabase);
            // A node name per round and pair: init loads only nodes the master has not seen loaded.
            var node = Invariant($"load{pair}_{r}");
            var config = Bench.WriteConfig("load", master, [(node, slaveProvider, slave)], [SiteUsers.Name]);
            var printed = "";
            var ours = await Bench.TimeAsync(async () => printed = await Bench.ReplAsync("init", "--config", config));
            vendor.Add(rows / baseline.TotalSeconds);
            repl.Add(rows / ours.TotalSeconds);
            ratios.Add(baseline.TotalSeconds / ours.TotalSeconds);
            Bench.Say(Invariant($"  {label} round {r + 1}: {vendorName} {baseline.TotalSeconds:0.00} s, repl init {ours.TotalSeconds:0.00} s, ratio {ratios[^1]:0.00}"));
            Bench.Say("    repl: " + printed.Split('\n').Single(l => l.Contains(": loaded ", StringComparison.Ordinal)));
        }
        var median = Bench.Median(ratios);
        Bench.Say(Invariant($"load {label}: {vendorName} {Bench.List(vendor)} rows/s, repl init {Bench.List(repl)} rows/s, ") +
                  Invariant($"ratio per round {Bench.List(ratios, "0.00")}, median {median:0.00} (target >= {Target:0.0}) {Bench.Verdict(median >= Target)}"));
    }

    private static async Task<TableDefinition> DefinitionAsync(string pgMaster)
    {
        await using var c = await BenchServers.OpenPostgreSqlAsync(pgMaster);
        return await SiteUsers.DefinitionAsync(c, PostgreSqlSchema.Dialect);
    }
}
