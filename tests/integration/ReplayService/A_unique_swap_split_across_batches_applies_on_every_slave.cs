using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// A cycle streams its rows in batches of <c>replay.batchSize</c>, so the two rows of a UNIQUE swap can land in different
/// batches of one slave transaction (a large backlog after an outage makes that common). Every slave vendor must apply it
/// anyway. Batches of one row make the split certain.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class A_unique_swap_split_across_batches_applies_on_every_slave
{
    public static IEnumerable<TheoryDataRow<Vendor, Vendor>> Pairs =>
    [
        new(Vendor.PostgreSql, Vendor.PostgreSql),
        new(Vendor.PostgreSql, Vendor.MySql),
        new(Vendor.PostgreSql, Vendor.Sqlite),
        new(Vendor.MySql, Vendor.PostgreSql),
        new(Vendor.MySql, Vendor.MySql),
        new(Vendor.MySql, Vendor.Sqlite),
    ];

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Two_rows_swapping_a_unique_value_in_batches_of_one_row(Vendor master, Vendor slave)
    {
        var engine = master == Vendor.MySql ? " ENGINE=InnoDB" : "";
        await using var replication = await Replication.CreateAsync(master, [slave],
            [
                $"CREATE TABLE accounts (id integer PRIMARY KEY, owner varchar(20) NOT NULL UNIQUE){engine}",
                "INSERT INTO accounts VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')",
            ],
            [("accounts", "log")], test: $"{nameof(Two_rows_swapping_a_unique_value_in_batches_of_one_row)}_{master}_{slave}");
        var node = replication.Nodes[0].Name;
        await replication.ReplOkAsync("init");

        // ann and bob swap; then all three owners rotate.
        await ChangeOwnersAsync(replication, [(1, "swapping"), (2, "ann"), (1, "bob")]);
        await ReplayInBatchesOfOneAsync(replication, node);
        await replication.AssertSlavesEqualMasterAsync("accounts");

        await ChangeOwnersAsync(replication, [(1, "rotating"), (3, "bob"), (2, "cy"), (1, "ann")]);
        await ReplayInBatchesOfOneAsync(replication, node);
        await replication.AssertSlavesEqualMasterAsync("accounts");
    }

    private static async Task ChangeOwnersAsync(Replication replication, IReadOnlyList<(int Id, string Owner)> updates)
    {
        await using var connection = await replication.OpenMasterAsync();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        foreach (var (id, owner) in updates)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"UPDATE accounts SET owner = '{owner}' WHERE id = {id}";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    private static async Task ReplayInBatchesOfOneAsync(Replication replication, string node)
    {
        await using var once = ReplProcess.Start(replication.ConfigPath, new Dictionary<string, string> { ["REPL_replay__batchSize"] = "1" },
            "replay", "--node", node, "--once");
        Assert.True(await once.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, $"replay --once in batches of one row failed:\n{once.Output}");
    }
}
