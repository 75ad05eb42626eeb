using System.Text.Json;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.TestSupport;

namespace Repl.IntegrationTests.Status;

/// <summary>
/// <c>repl status</c> counts what each node has not processed, per table and in total (a transaction that changed two
/// tables counts once in the total), measures the lag on the master's clock, and answers monitoring with Nagios codes.
/// </summary>
public sealed class Status_reports_pending_work_lag_and_nagios_exit_codes
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    private static readonly string[] Schema =
    [
        "CREATE TABLE alpha (id integer PRIMARY KEY, v varchar(20))",
        "CREATE TABLE beta (id integer PRIMARY KEY, v varchar(20))",
    ];

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Seven_transactions_over_two_tables_are_pending_until_replayed(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("alpha", "log"), ("beta", "log")],
            test: $"{nameof(Seven_transactions_over_two_tables_are_pending_until_replayed)}_{master}");
        await replication.ReplOkAsync("init");
        var before = await StatusJsonAsync(replication);
        Assert.Equal("OK", before.GetProperty("status").GetString());
        Assert.Equal(0, Node(before, "lite").GetProperty("pendingTransactions").GetInt64());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("purgeHeldBackBy").ValueKind);

        // alpha: 4 transactions of 2 rows; beta: 2 transactions of 1 row; 1 transaction of 1 row in each table.
        for (var i = 0; i < 4; i++)
            await replication.ExecuteOnMasterAsync($"INSERT INTO alpha VALUES ({(i * 2) + 1}, 'a'), ({(i * 2) + 2}, 'b')");
        for (var i = 0; i < 2; i++)
            await replication.ExecuteOnMasterAsync($"INSERT INTO beta VALUES ({i + 1}, 'c')");
        await using (var connection = await replication.OpenMasterAsync())
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            foreach (var sql in new[] { "INSERT INTO alpha VALUES (100, 'both')", "INSERT INTO beta VALUES (100, 'both')" })
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        var pending = await StatusJsonAsync(replication);
        var lite = Node(pending, "lite");
        Assert.Equal(7, lite.GetProperty("pendingTransactions").GetInt64());
        Assert.Equal(12, lite.GetProperty("pendingRows").GetInt64());
        Assert.True(lite.GetProperty("lagSeconds").GetDouble() >= 0);
        var alpha = Table(lite, "alpha");
        Assert.Equal(5, alpha.GetProperty("pendingTransactions").GetInt64());
        Assert.Equal(9, alpha.GetProperty("pendingRows").GetInt64());
        var beta = Table(lite, "beta");
        Assert.Equal(3, beta.GetProperty("pendingTransactions").GetInt64());
        Assert.Equal(3, beta.GetProperty("pendingRows").GetInt64());
        Assert.Equal("lite", pending.GetProperty("purgeHeldBackBy").GetString());

        await replication.ReplOkAsync("replay", "--node", "lite", "--once");
        var after = await StatusJsonAsync(replication);
        lite = Node(after, "lite");
        Assert.Equal(0, lite.GetProperty("pendingTransactions").GetInt64());
        Assert.Equal(0, lite.GetProperty("pendingRows").GetInt64());
        Assert.Equal(0, lite.GetProperty("lagSeconds").GetDouble());
        Assert.Equal(JsonValueKind.String, lite.GetProperty("lastCycleAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("purgeHeldBackBy").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Each_lag_threshold_gives_its_nagios_exit_code(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("alpha", "log"), ("beta", "log")],
            test: $"{nameof(Each_lag_threshold_gives_its_nagios_exit_code)}_{master}");
        await replication.ReplOkAsync("init");
        Assert.Equal(0, (await replication.ReplAsync("status", "--warn", "1", "--crit", "2")).ExitCode);

        await replication.ExecuteOnMasterAsync("INSERT INTO alpha VALUES (1, 'late')");
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        var (ok, okOutput) = await replication.ReplAsync("status", "--warn", "1000", "--crit", "2000");
        Assert.True(ok == 0, okOutput.Text);
        Assert.StartsWith("OK: ", okOutput.Text, StringComparison.Ordinal);

        var (warning, warningOutput) = await replication.ReplAsync("status", "--warn", "1", "--crit", "1000");
        Assert.True(warning == 1, warningOutput.Text);
        Assert.StartsWith("WARNING: ", warningOutput.Text, StringComparison.Ordinal);

        var (critical, criticalOutput) = await replication.ReplAsync("status", "--warn", "0.5", "--crit", "1");
        Assert.True(critical == 2, criticalOutput.Text);
        Assert.StartsWith("CRITICAL: ", criticalOutput.Text, StringComparison.Ordinal);
        Assert.Contains("alpha", criticalOutput.Text, StringComparison.Ordinal);

        var (inverted, invertedOutput) = await replication.ReplAsync("status", "--warn", "10", "--crit", "5");
        Assert.True(inverted == 3, invertedOutput.Text);
    }

    [Fact]
    public async Task An_unreachable_master_is_unknown_and_its_password_is_never_printed()
    {
        const string password = "s3cret-Pa55word";
        var directory = Path.Combine(Path.GetTempPath(), "repl-tests", TestServers.DatabaseName(nameof(An_unreachable_master_is_unknown_and_its_password_is_never_printed)));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "repl.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            master = new { provider = "postgresql", connectionString = $"Host=127.0.0.1;Port=1;Database=news;Username=repl;Password={password};Timeout=3" },
            tables = new[] { new { name = "alpha" } },
            nodes = new Dictionary<string, object> { ["lite"] = new { provider = "sqlite", connectionString = "Data Source=" + Path.Combine(directory, "lite.db") } },
        }), TestContext.Current.CancellationToken);

        foreach (var args in new[] { new[] { "status" }, ["status", "--json"] })
        {
            var output = new RecordingOutput();
            var exit = await new Cli.ReplCommandLine(output, new Dictionary<string, string?>()).InvokeAsync([.. args, "--config", config], TestContext.Current.CancellationToken);
            Assert.True(exit == 3, $"{string.Join(' ', args)} exited {exit}: {output.Text} {output.ErrorText}");
            Assert.Contains("UNKNOWN", output.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(password, output.Text + output.ErrorText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_master_never_initialised_is_unknown()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], Schema, [("alpha", "log")]);
        var (exit, output) = await replication.ReplAsync("status");
        Assert.True(exit == 3, output.Text);
        Assert.Contains("run repl init", output.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Init_upgrades_a_registry_created_before_last_cycle_at(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("alpha", "log")],
            test: $"{nameof(Init_upgrades_a_registry_created_before_last_cycle_at)}_{master}");
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync(master == Vendor.PostgreSql
            ? "ALTER TABLE repl.nodes DROP COLUMN last_cycle_at"
            : "ALTER TABLE repl_nodes DROP COLUMN last_cycle_at");

        var (stale, staleOutput) = await replication.ReplAsync("status");
        Assert.True(stale == 3, staleOutput.Text);
        Assert.Contains("run repl init", staleOutput.Text, StringComparison.Ordinal);
        var (replay, replayOutput) = await replication.ReplAsync("replay", "--node", "lite", "--once");
        Assert.True(replay == 2, replayOutput.Text);
        Assert.Contains("run repl init", replayOutput.ErrorText, StringComparison.Ordinal);

        await replication.ReplOkAsync("init");
        await replication.ReplOkAsync("replay", "--node", "lite", "--once");
        var upgraded = await StatusJsonAsync(replication);
        Assert.Equal(JsonValueKind.String, Node(upgraded, "lite").GetProperty("lastCycleAt").ValueKind);
        var again = await replication.ReplOkAsync("init");
        Assert.DoesNotContain("registry columns", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_shape_is_stable()
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], Schema, [("alpha", "log"), ("beta", "log")]);
        await replication.ReplOkAsync("init");
        await replication.ReplOkAsync("replay", "--node", "lite", "--once");
        var (exit, output) = await replication.ReplAsync("status", "--json", "--warn", "60", "--crit", "300");
        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(output.Text);
        var root = document.RootElement;
        Assert.Equal(["status", "exitCode", "summary", "thresholds", "lagSeconds", "purgeHeldBackBy", "nodes"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(60, root.GetProperty("thresholds").GetProperty("warnSeconds").GetDouble());
        Assert.Equal(300, root.GetProperty("thresholds").GetProperty("critSeconds").GetDouble());
        var node = Assert.Single(root.GetProperty("nodes").EnumerateArray());
        Assert.Equal(["name", "configured", "registered", "loaded", "lastCycleAt", "secondsSinceLastCycle", "pendingTransactions", "pendingRows", "lagSeconds", "tables"],
            node.EnumerateObject().Select(p => p.Name));
        Assert.True(node.GetProperty("loaded").GetBoolean());
        Assert.EndsWith("Z", node.GetProperty("lastCycleAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(["table", "pendingTransactions", "pendingRows", "lagSeconds"],
            node.GetProperty("tables").EnumerateArray().First().EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, node.GetProperty("tables").GetArrayLength());
    }

    private static async Task<JsonElement> StatusJsonAsync(Replication replication)
    {
        var (exit, output) = await replication.ReplAsync("status", "--json");
        Assert.True(exit == 0, $"status exited {exit}:\n{output.Text}\n{output.ErrorText}");
        return JsonDocument.Parse(output.Text).RootElement.Clone();
    }

    private static JsonElement Node(JsonElement status, string name) =>
        status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);

    private static JsonElement Table(JsonElement node, string table) =>
        node.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString()!.EndsWith(table, StringComparison.Ordinal));
}
