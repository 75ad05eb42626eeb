using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;
using Npgsql;
using Repl.Configuration;
using Repl.Dialects;
using Repl.Dialects.MySql;
using Repl.Dialects.PostgreSql;
using Repl.Schema;
using Repl.Schema.MySql;
using Repl.Schema.PostgreSql;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// Capture overhead: a TPC-B-like write workload with and without repl's triggers, in the same run, alternating
/// (plain, captured, plain, captured) so drift in the machine's speed hits both sides. PostgreSQL runs a third variant per
/// round: the triggers without the NOTIFY that wakes replay services. PostgreSQL uses pgbench's own
/// TPC-B script; MariaDB a C# equivalent (same statements, same scale). pgbench_history gets a bigserial key in
/// both runs because repl replicates only keyed tables.
/// Every benchmark runs twice: with the test servers' settings (PostgreSQL fsync and synchronous_commit off, MariaDB
/// innodb_flush_log_at_trx_commit = 2), where a transaction costs only CPU and the triggers' work shows in full, and with
/// durable commits as a production master runs (fsync and synchronous_commit on; innodb_flush_log_at_trx_commit = 1),
/// switched for the run and restored after it.
/// </summary>
internal static partial class CaptureOverhead
{
    private const int Clients = 4;

    public static async Task RunAsync(TimeSpan duration, int scale, int rounds)
    {
        Bench.Say(Invariant($"capture: TPC-B-like, scale {scale}, {Clients} clients, {duration.TotalSeconds:0} s per run, {rounds} round(s)"));
        await PostgreSqlAsync(duration, scale, rounds, durable: false);
        await PostgreSqlAsync(duration, scale, rounds, durable: true);
        await MySqlAsync(duration, scale, rounds, durable: false);
        await MySqlAsync(duration, scale, rounds, durable: true);
    }

    private static async Task PostgreSqlAsync(TimeSpan duration, int scale, int rounds, bool durable)
    {
        Bench.Say(durable ? "  postgresql, durable commits (fsync = on, synchronous_commit = on):" : "  postgresql, test-server settings (fsync = off, synchronous_commit = off):");
        await using (var admin = await BenchServers.OpenPostgreSqlAsync(BenchServers.PostgreSqlAdmin))
        {
            await BenchServers.Exec(admin, durable ? "ALTER SYSTEM SET fsync = on" : "ALTER SYSTEM RESET fsync");
            await BenchServers.Exec(admin, "SELECT pg_reload_conf()");
        }
        try
        {
            await PostgreSqlRoundsAsync(duration, scale, rounds, durable);
        }
        finally
        {
            await using var admin = await BenchServers.OpenPostgreSqlAsync(BenchServers.PostgreSqlAdmin);
            await BenchServers.Exec(admin, "ALTER SYSTEM RESET fsync");
            await BenchServers.Exec(admin, "SELECT pg_reload_conf()");
        }
    }

    private static async Task PostgreSqlRoundsAsync(TimeSpan duration, int scale, int rounds, bool durable)
    {
        var mode = durable ? "durable" : "fsync off";
        var cs = await BenchServers.NewPostgreSqlAsync("bench_capture");
        var b = new NpgsqlConnectionStringBuilder(cs);
        await PgBench($"-i -s {scale} -q -n", b, durable);
        await using (var c = await BenchServers.OpenPostgreSqlAsync(cs))
        {
            await BenchServers.Exec(c, "ALTER TABLE pgbench_history ADD COLUMN hid bigserial PRIMARY KEY");
            await BenchServers.Exec(c, "VACUUM ANALYZE");
        }
        string[] tables = ["pgbench_accounts", "pgbench_branches", "pgbench_tellers", "pgbench_history"];
        // With and without the NOTIFY that wakes replay services: NOTIFY serializes committing transactions on a global lock.
        // And with the C trigger function of the repl_capture extension when the server has it (eng/servers.sh installs it).
        var native = await CaptureExtensionFunctionAsync(cs);
        var variants = new (string Name, PostgreSqlCapture? Capture)[]
        {
            ("plain", null),
            ("captured", new PostgreSqlCapture(PostgreSqlSchema.Dialect)),
            ("captured without NOTIFY", durable ? null : new PostgreSqlCapture(PostgreSqlSchema.Dialect, notify: false)),
            ("captured by the C trigger function", native is null ? null : new PostgreSqlCapture(PostgreSqlSchema.Dialect, captureFunction: native)),
        }.Where((v, i) => i == 0 || v.Capture is not null).ToArray();
        if (native is null)
            Bench.Say("  postgresql: the server has no repl_capture extension (ext/postgresql; eng/servers.sh up installs it as root): C trigger variant not run");
        var tps = variants.Select(_ => new List<double>()).ToList();
        var cpu = variants.Select(_ => new List<double>()).ToList();
        for (var r = 0; r < rounds; r++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                var capture = variants[v].Capture;
                var installed = capture is null ? [] : await InstallAsync(cs, BenchServers.OpenPostgreSqlAsync, PostgreSqlSchema.Dialect, capture, tables);
                await using (var c = await BenchServers.OpenPostgreSqlAsync(cs))
                    await BenchServers.Exec(c, "CHECKPOINT");
                var run = PgBench($"-n -c {Clients} -j 2 -T {duration.TotalSeconds:0}", b, durable);
                cpu[v].Add(await ServerCpuPerTransactionAsync(cs, duration));
                tps[v].Add(ParseTps(await run));
                Bench.Say(Invariant($"  postgresql {mode} round {r + 1}: {variants[v].Name} {tps[v][^1]:0} tps, server CPU {cpu[v][^1]:0} µs per transaction"));
                if (capture is not null)
                    await UninstallAsync(cs, BenchServers.OpenPostgreSqlAsync, capture, installed);
            }
        }
        for (var v = 1; v < variants.Length; v++)
        {
            Report($"postgresql {mode} {variants[v].Name}", tps[0], tps[v], 0.92);
            var ratios = cpu[0].Zip(cpu[v], (p, c) => p / c).ToList();
            Bench.Say(Invariant($"capture postgresql {mode} {variants[v].Name}: server CPU per transaction plain {Bench.List(cpu[0])} µs, captured {Bench.List(cpu[v])} µs; ") +
                      Invariant($"plain / captured per round {Bench.List(ratios, "0.00")}, median {Bench.Median(ratios):0.00} (the TPS ratio a CPU-bound server would show)"));
        }
    }

    // Creates the repl_capture extension in the benchmark's database when the server has it; the quoted name of its function, or null.
    private static async Task<string?> CaptureExtensionFunctionAsync(string cs)
    {
        if (!await BenchServers.TryCreateCaptureExtensionAsync(cs))
            return null;
        await using var c = await BenchServers.OpenPostgreSqlAsync(cs);
        var capture = (PostgreSqlCapture)await new PostgreSqlCapture(PostgreSqlSchema.Dialect).ForMasterAsync(c, CancellationToken.None);
        return capture.CaptureFunction;
    }

    // CPU time (user + system, from /proc) of pgbench's server backends per committed transaction, sampled from 2 s after the (a quarter of a short run)
    // start to 2 s before the end of the run. Unlike TPS it hardly moves when other work competes for the cores.
    private static async Task<double> ServerCpuPerTransactionAsync(string cs, TimeSpan duration)
    {
        // Short (smoke) runs keep a quarter of the run as margin on each side.
        var margin = TimeSpan.FromSeconds(Math.Min(2, duration.TotalSeconds / 4));
        await Task.Delay(margin);
        await using var c = await BenchServers.OpenPostgreSqlAsync(cs);
        var pids = new List<int>();
        await using (var command = c.CreateCommand())
        {
            command.CommandText = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgbench'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                pids.Add(reader.GetInt32(0));
        }
        const string commits = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()";
        var cpu0 = pids.Sum(CpuTicks);
        var tx0 = Convert.ToInt64(await BenchServers.Scalar(c, commits), CultureInfo.InvariantCulture);
        await Task.Delay(duration - 2 * margin);
        var cpu1 = pids.Sum(CpuTicks);
        var tx1 = Convert.ToInt64(await BenchServers.Scalar(c, commits), CultureInfo.InvariantCulture);
        // Clock ticks are 10 ms on Linux; the two statistics queries of this connection are the only other commits.
        return (cpu1 - cpu0) * 10_000.0 / Math.Max(1, tx1 - tx0 - 2);
    }

    private static long CpuTicks(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command name: state is field 3, utime 14 and stime 15 of proc(5).
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static async Task MySqlAsync(TimeSpan duration, int scale, int rounds, bool durable)
    {
        var mode = durable ? "durable" : "flush at commit off";
        Bench.Say(durable ? "  mariadb, durable commits (innodb_flush_log_at_trx_commit = 1):" : "  mariadb, test-server settings (innodb_flush_log_at_trx_commit = 2):");
        await using var admin = await BenchServers.OpenMySqlAsync(BenchServers.MySqlAdmin);
        var setting = await BenchServers.Scalar(admin, "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit");
        await BenchServers.Exec(admin, durable ? "SET GLOBAL innodb_flush_log_at_trx_commit = 1" : "SET GLOBAL innodb_flush_log_at_trx_commit = 2");
        try
        {
            await MySqlRoundsAsync(duration, scale, rounds, mode);
        }
        finally
        {
            await BenchServers.Exec(admin, Invariant($"SET GLOBAL innodb_flush_log_at_trx_commit = {setting}"));
        }
    }

    private static async Task MySqlRoundsAsync(TimeSpan duration, int scale, int rounds, string mode)
    {
        var cs = await BenchServers.NewMySqlAsync("bench_capture");
        await using (var c = await BenchServers.OpenMySqlAsync(cs))
        {
            foreach (var sql in TpcbSchema(scale))
                await BenchServers.Exec(c, sql);
        }
        var capture = new MySqlCapture(MySqlSchema.Dialect);
        string[] tables = ["accounts", "branches", "tellers", "history"];
        var plain = new List<double>();
        var captured = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            plain.Add(await MySqlTpcbAsync(cs, scale, duration));
            Bench.Say(Invariant($"  mariadb {mode} round {r + 1}: plain {plain[^1]:0} tps"));
            var installed = await InstallAsync(cs, BenchServers.OpenMySqlAsync, MySqlSchema.Dialect, capture, tables);
            captured.Add(await MySqlTpcbAsync(cs, scale, duration));
            Bench.Say(Invariant($"  mariadb {mode} round {r + 1}: captured {captured[^1]:0} tps"));
            await UninstallAsync(cs, BenchServers.OpenMySqlAsync, capture, installed);
        }
        Report($"mariadb {mode} captured", plain, captured, 0.88);
    }

    // Rounds alternate plain and captured runs, so each round's ratio compares neighbours in time; the median of those
    // ratios is the figure, since other work on the machine comes and goes between rounds.
    private static void Report(string name, List<double> plain, List<double> captured, double target)
    {
        var ratios = captured.Zip(plain, (c, p) => c / p).ToList();
        var median = Bench.Median(ratios);
        Bench.Say(Invariant($"capture {name}: plain {Bench.List(plain)} tps, captured {Bench.List(captured)} tps, ") +
                  Invariant($"ratio per round {Bench.List(ratios, "0.00")}, median {median:0.00}, of means {captured.Average() / plain.Average():0.00} ") +
                  Invariant($"(target >= {target:0.00}) {Bench.Verdict(median >= target)}"));
    }

    private static async Task<IReadOnlyList<ReplicatedTable>> InstallAsync(string cs, Func<string, Task<DbConnection>> open,
        SchemaDialect schema, ICapture capture, IReadOnlyList<string> names)
    {
        await using var c = await open(cs);
        var tables = new List<ReplicatedTable>();
        foreach (var sql in capture.InstallBase())
            await BenchServers.Exec(c, sql);
        foreach (var name in names)
        {
            var found = await schema.Catalog.FindTablesAsync(c, new DbObjectName(null, name), CancellationToken.None);
            var table = capture.Describe(await schema.Catalog.ReadTableAsync(c, found.Single(), CancellationToken.None), TableMode.Log);
            foreach (var sql in capture.InstallTable(table))
                await BenchServers.Exec(c, sql);
            tables.Add(table);
        }
        foreach (var sql in capture.InstallNode("bench", Vendor.PostgreSql))
            await BenchServers.Exec(c, sql);
        return tables;
    }

    private static async Task UninstallAsync(string cs, Func<string, Task<DbConnection>> open, ICapture capture, IReadOnlyList<ReplicatedTable> tables)
    {
        await using var c = await open(cs);
        foreach (var sql in tables.SelectMany(capture.UninstallTable).Concat(capture.UninstallNode("bench")).Concat(capture.UninstallBase()))
            await BenchServers.Exec(c, sql);
    }

    private static async Task<string> PgBench(string arguments, NpgsqlConnectionStringBuilder b, bool durable)
    {
        var psi = new ProcessStartInfo(Path.Combine(BenchServers.PgBin, "pgbench"),
            $"{arguments} -h {b.Host} -p {b.Port} -U {b.Username} {b.Database}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        // The test server sets synchronous_commit off for everyone; pgbench's sessions turn it back on.
        psi.Environment["PGOPTIONS"] = durable ? "-c synchronous_commit=on" : "";
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pgbench {arguments} failed: {error}");
        return output;
    }

    private static double ParseTps(string pgbenchOutput) =>
        double.Parse(TpsLine().Match(pgbenchOutput).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    private static IEnumerable<string> TpcbSchema(int scale)
    {
        yield return "CREATE TABLE branches (bid INT PRIMARY KEY, bbalance INT NOT NULL, filler CHAR(88)) ENGINE=InnoDB";
        yield return "CREATE TABLE tellers (tid INT PRIMARY KEY, bid INT NOT NULL, tbalance INT NOT NULL, filler CHAR(84)) ENGINE=InnoDB";
        yield return "CREATE TABLE accounts (aid INT PRIMARY KEY, bid INT NOT NULL, abalance INT NOT NULL, filler CHAR(84)) ENGINE=InnoDB";
        yield return "CREATE TABLE history (hid BIGINT AUTO_INCREMENT PRIMARY KEY, tid INT, bid INT, aid INT, delta INT, mtime DATETIME(6), filler CHAR(22)) ENGINE=InnoDB";
        yield return $"INSERT INTO branches SELECT seq, 0, '' FROM seq_1_to_{scale}";
        yield return $"INSERT INTO tellers SELECT seq, (seq - 1) DIV 10 + 1, 0, '' FROM seq_1_to_{scale * 10}";
        yield return $"INSERT INTO accounts SELECT seq, (seq - 1) DIV 100000 + 1, 0, '' FROM seq_1_to_{scale * 100000}";
    }

    // pgbench's TPC-B script, statement for statement, one transaction per iteration.
    private static async Task<double> MySqlTpcbAsync(string cs, int scale, TimeSpan duration)
    {
        var stop = DateTime.UtcNow + duration;
        var counts = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var random = new Random(client);
            long done = 0;
            await using var c = (MySqlConnection)await BenchServers.OpenMySqlAsync(cs);
            await using var cmd = new MySqlCommand(
                "UPDATE accounts SET abalance = abalance + @delta WHERE aid = @aid;" +
                "SELECT abalance FROM accounts WHERE aid = @aid;" +
                "UPDATE tellers SET tbalance = tbalance + @delta WHERE tid = @tid;" +
                "UPDATE branches SET bbalance = bbalance + @delta WHERE bid = @bid;" +
                "INSERT INTO history (tid, bid, aid, delta, mtime) VALUES (@tid, @bid, @aid, @delta, CURRENT_TIMESTAMP(6))", c);
            var aid = cmd.Parameters.Add("@aid", MySqlDbType.Int32);
            var tid = cmd.Parameters.Add("@tid", MySqlDbType.Int32);
            var bid = cmd.Parameters.Add("@bid", MySqlDbType.Int32);
            var delta = cmd.Parameters.Add("@delta", MySqlDbType.Int32);
            while (DateTime.UtcNow < stop)
            {
                await using var tx = await c.BeginTransactionAsync();
                cmd.Transaction = tx;
                aid.Value = random.Next(1, scale * 100000 + 1);
                tid.Value = random.Next(1, scale * 10 + 1);
                bid.Value = random.Next(1, scale + 1);
                delta.Value = random.Next(-5000, 5001);
                await using (var reader = await cmd.ExecuteReaderAsync())
                    while (await reader.NextResultAsync()) { }
                await tx.CommitAsync();
                done++;
            }
            return done;
        }));
        return counts.Sum() / duration.TotalSeconds;
    }
}
