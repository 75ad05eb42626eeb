using System.Text.Json;
using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// Issue 9: a CHECK constraint added by hand on a slave that one replicated row breaks. The service reports the failing
/// table on every attempt, keeps retrying with backoff, never records the transaction as processed (repl status still
/// shows it pending), and once the constraint is dropped it catches up to equality without losing the later changes.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class A_slave_constraint_violation_blocks_without_loss(PrivateServersFixture fixture) : IClassFixture<PrivateServersFixture>
{
    public static TheoryData<Vendor> Slaves => [Vendor.PostgreSql, Vendor.MySql];

    [Theory]
    [MemberData(nameof(Slaves))]
    public async Task The_failing_table_is_reported_the_rows_stay_pending_and_replay_resumes_after_the_fix(Vendor slave)
    {
        var (bed, workload) = await FaultSteps.InitAsync(fixture.Servers, Vendor.PostgreSql, slave, $"constraint_{slave}".ToLowerInvariant());
        var node = bed.Nodes[0].Name;
        await using (var connection = await bed.OpenNodeAsync(node, TestContext.Current.CancellationToken))
            await FaultBed.ExecuteAsync(connection, "ALTER TABLE accounts ADD CONSTRAINT hand_made_limit CHECK (balance < 5000000)", TestContext.Current.CancellationToken);
        await using (var connection = await bed.OpenMasterAsync(TestContext.Current.CancellationToken))
        {
            await FaultBed.ExecuteAsync(connection, "INSERT INTO accounts (id, owner, balance, note, score, updated, flag) " +
                "VALUES (987654, 'too rich', 9999999.99, NULL, NULL, TIMESTAMP '2020-01-01 00:00:00', NULL)", TestContext.Current.CancellationToken);
            await workload.RunAsync(connection, 20);
        }

        await using var service = ReplProcess.Start(bed.ConfigPath, FaultSteps.Fast, "replay", "--node", node);
        // Retries at 1, 2, 4 s: three failures show the backoff going on.
        await service.WaitForLineAsync("cycle failed", TimeSpan.FromSeconds(180), occurrence: 3);
        var failures = service.Output.Split('\n').Where(l => l.Contains("cycle failed", StringComparison.Ordinal)).ToList();
        Assert.All(failures, l => Assert.Contains("accounts", l, StringComparison.Ordinal));
        Assert.All(failures, l => Assert.Contains($"node {node}", l, StringComparison.Ordinal));
        Assert.Equal(0, service.LineCount(": applied "));
        // The refused row is named: PostgreSQL's error detail shows it ("Failing row contains (987654, too rich, ...)");
        // MariaDB names only the constraint, so repl finds the row by applying halves of the batch and names its key.
        Assert.Contains(slave == Vendor.PostgreSql ? "987654, too rich" : "The row (id)=(987654) of table", service.Output, StringComparison.Ordinal);

        // Exit 1 or 2 only say the node is behind (status thresholds); the JSON is what counts.
        var (_, status) = await FaultSteps.ReplAsync(bed, "status", "--json", "--node", node);
        Assert.True(status.Contains('{', StringComparison.Ordinal), $"repl status --json printed no JSON:\n{status}");
        using (var json = JsonDocument.Parse(status[status.IndexOf('{', StringComparison.Ordinal)..]))
        {
            var pending = Pending(json.RootElement);
            Assert.True(pending > 0, $"repl status shows no pending transaction while the slave refuses one:\n{status}");
        }

        await using (var connection = await bed.OpenNodeAsync(node, TestContext.Current.CancellationToken))
            await FaultBed.ExecuteAsync(connection, "ALTER TABLE accounts DROP CONSTRAINT hand_made_limit", TestContext.Current.CancellationToken);
        await service.WaitForLineAsync("recovered after", TimeSpan.FromSeconds(180));
        await FaultSteps.WaitUntilEqualAsync(bed, service, TimeSpan.FromMinutes(3));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", failures));
    }

    // pendingTransactions of the one node, wherever status --json puts the node object.
    private static long Pending(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("pendingTransactions", out var value))
                return value.GetInt64();
            foreach (var property in element.EnumerateObject())
                if (Pending(property.Value) is var found and > 0)
                    return found;
        }
        if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray())
                if (Pending(item) is var found and > 0)
                    return found;
        return 0;
    }
}
