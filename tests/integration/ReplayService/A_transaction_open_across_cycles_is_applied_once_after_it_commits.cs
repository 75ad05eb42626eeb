using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// A long transaction straddling several cycles (a trap of DESIGN §5): while it is open, cycles apply the transactions
/// committed around it and not it; the cycle after its commit applies it, and its txid is recorded processed once.
/// No time window is involved, so the book's Figure 8.3 race cannot lose it.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed partial class A_transaction_open_across_cycles_is_applied_once_after_it_commits
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Three_cycles_pass_it_by_and_the_next_applies_it_once(Vendor master)
    {
        var engine = master == Vendor.MySql ? " ENGINE=InnoDB" : "";
        await using var replication = await Replication.CreateAsync(master, [master],
            [$"CREATE TABLE orders (id integer PRIMARY KEY, note varchar(40) NOT NULL){engine}"], [("orders", "log")],
            test: $"{nameof(Three_cycles_pass_it_by_and_the_next_applies_it_once)}_{master}");
        var node = replication.Nodes[0].Name;
        await replication.ReplOkAsync("init");
        var (log, processed) = master == Vendor.PostgreSql
            ? ("repl.orders_log", "repl.processed_" + node)
            : ("repl_orders_log", "repl_processed_" + node);

        await using var held = await replication.OpenMasterAsync();
        await using var longTransaction = await held.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await ExecAsync(held, longTransaction, "INSERT INTO orders (id, note) VALUES (1, 'held open')");

        for (var cycle = 1; cycle <= 3; cycle++)
        {
            // Something committed around it, so each cycle demonstrably applies work — just not the open transaction.
            await replication.ExecuteOnMasterAsync(string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO orders (id, note) VALUES ({100 + cycle}, 'committed in cycle {cycle}')"));
            Assert.Equal(1, await ReplayOnceAsync(replication, node));
            Assert.Equal([.. Enumerable.Range(101, cycle)], await SlaveIdsAsync(replication, node));
        }

        await longTransaction.CommitAsync(TestContext.Current.CancellationToken);
        await using var masterConnection = await replication.OpenMasterAsync();
        Assert.Equal(1, await ScalarAsync(masterConnection, $"SELECT COUNT(DISTINCT txid) FROM {log} WHERE id = 1"));
        var processedOnce = $"SELECT COUNT(*) FROM {processed} WHERE txid IN (SELECT txid FROM {log} WHERE id = 1)";
        Assert.Equal(0, await ScalarAsync(masterConnection, processedOnce));

        Assert.Equal(1, await ReplayOnceAsync(replication, node));
        Assert.Equal([1, 101, 102, 103], await SlaveIdsAsync(replication, node));
        Assert.Equal(1, await ScalarAsync(masterConnection, processedOnce));

        Assert.Equal(0, await ReplayOnceAsync(replication, node));
        Assert.Equal(1, await ScalarAsync(masterConnection, processedOnce));
        await replication.AssertSlavesEqualMasterAsync("orders");
    }

    private static async Task<long> ReplayOnceAsync(Replication replication, string node)
    {
        var output = await replication.ReplOkAsync("replay", "--node", node, "--once");
        var applied = Applied().Match(output.Text);
        Assert.True(applied.Success, $"replay --once printed no summary:\n{output.Text}");
        return long.Parse(applied.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<List<int>> SlaveIdsAsync(Replication replication, string node)
    {
        await using var slave = await replication.OpenNodeAsync(node);
        await using var command = slave.CreateCommand();
        command.CommandText = "SELECT id FROM orders ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<int>();
        while (await reader.ReadAsync())
            ids.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        return ids;
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"applied (\d+) transaction", RegexOptions.CultureInvariant)]
    private static partial Regex Applied();
}
