using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Replay;
using Repl.Schema;

namespace Repl.IntegrationTests.Status;

/// <summary>
/// Issue 7: on a master with 1,200 instrumented tables, <c>repl status</c> and an idle replay cycle cost a handful of
/// round trips, not one (or more) per table. The commands are counted from the drivers' own tracing; the time is printed,
/// never asserted.
/// </summary>
public sealed class Status_and_an_idle_cycle_cost_a_few_round_trips_on_1200_tables
{
    private const int TableCount = 1_200;

    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Status_and_an_idle_cycle_send_a_few_commands_whatever_the_number_of_tables(Vendor master)
    {
        var ct = TestContext.Current.CancellationToken;
        var names = Enumerable.Range(1, TableCount).Select(i => "t" + i.ToString("0000", CultureInfo.InvariantCulture)).ToList();
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], [], [.. names.Select(n => (n, "log"))],
            test: $"Status_of_1200_tables_{master}");
        var setup = Stopwatch.StartNew();
        foreach (var chunk in names.Chunk(200))
            await replication.ExecuteOnMasterAsync(string.Join(";\n", chunk.Select(n => $"CREATE TABLE {n} (id integer PRIMARY KEY, v integer)")));
        await InstrumentAsync(replication, names, ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{master}: {TableCount} tables created and instrumented in {setup.Elapsed.TotalSeconds:0.0} s");

        var environment = new Dictionary<string, string?>();
        var config = ConfigLoader.Load(replication.ConfigPath, environment);
        await using (var runner = new ReplayRunner(config, config.Node("lite"), new DatabaseConnector(new OracleDriver(environment))))
        {
            // The first cycle connects and reads the catalog of every table, once per service lifetime.
            await runner.RunCycleAsync(ct);
            var clock = Stopwatch.StartNew();
            using var counter = new CommandCounter(MasterDatabase(replication));
            var idle = await runner.RunCycleAsync(ct);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{master}: idle cycle over {TableCount} tables: {counter.Count} command(s), {clock.Elapsed.TotalMilliseconds:0} ms\n{counter.Describe()}");
            Assert.Equal(0, idle.Transactions);
            Assert.True(counter.Count is > 0 and <= 5, $"an idle cycle sent {counter.Count} commands:\n{counter.Describe()}");
        }

        foreach (var table in new[] { "t0001", "t0600", "t1200" })
            await replication.ExecuteOnMasterAsync($"INSERT INTO {table} VALUES (1, 1)");

        var statusClock = Stopwatch.StartNew();
        using (var counter = new CommandCounter(MasterDatabase(replication)))
        {
            var (exit, output) = await replication.ReplAsync("status", "--json");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{master}: repl status over {TableCount} tables: {counter.Count} command(s), {statusClock.Elapsed.TotalMilliseconds:0} ms\n{counter.Describe()}");
            Assert.True(exit == 0, output.Text + output.ErrorText);
            Assert.True(counter.Count is > 0 and <= 10, $"status sent {counter.Count} commands:\n{counter.Describe()}");
            using var json = JsonDocument.Parse(output.Text);
            var node = Assert.Single(json.RootElement.GetProperty("nodes").EnumerateArray());
            Assert.Equal(3, node.GetProperty("pendingTransactions").GetInt64());
            Assert.Equal(TableCount, node.GetProperty("tables").GetArrayLength());
            Assert.Equal(3, node.GetProperty("tables").EnumerateArray().Count(t => t.GetProperty("pendingRows").GetInt64() == 1));
        }
        if (master == Vendor.MySql)
            await DropMariaDbMasterAsync(replication, ct);
    }

    // The next run starts by dropping this database with the test servers' default command timeout, which 1,200 MariaDB
    // tables can outlast on a busy machine: drop it here, with no timeout.
    private static async Task DropMariaDbMasterAsync(Replication replication, CancellationToken ct)
    {
        await using var connection = await replication.OpenMasterAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE `{MasterDatabase(replication)}`";
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string MasterDatabase(Replication replication) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = replication.MasterConnectionString }
            .TryGetValue("Database", out var name) ? Convert.ToString(name, CultureInfo.InvariantCulture)! : throw new InvalidOperationException("no database in the master connection string");

    // What repl init does on the master, without the initial load of 1,200 empty tables onto a slave: registries, one log
    // and its triggers per table, the node and its processed table, the node marked loaded.
    private static async Task InstrumentAsync(Replication replication, IReadOnlyList<string> names, CancellationToken ct)
    {
        var dialect = VendorDialects.For(replication.Master);
        var capture = dialect.Capture!;
        await using var connection = await replication.OpenMasterAsync();
        var statements = new List<string>(capture.InstallBase());
        foreach (var name in names)
        {
            var found = Assert.Single(await dialect.Schema.Catalog.FindTablesAsync(connection, new DbObjectName(null, name), ct));
            statements.AddRange(capture.InstallTable(capture.Describe(await dialect.Schema.Catalog.ReadTableAsync(connection, found, ct), TableMode.Log)));
        }
        statements.AddRange(capture.InstallNode("lite", Vendor.Sqlite));
        statements.AddRange(capture.MarkLoaded("lite"));
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
