using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Replay;

/// <summary>
/// With a single log-mode table, a transaction that changed several rows leaves its txid in several log rows; recording it
/// processed once (not once per log row, which broke the processed table's primary key) is what lets replay go on.
/// </summary>
public sealed class One_replicated_table_replays_a_transaction_that_changed_several_rows
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task A_multi_row_update_is_replayed_and_recorded_once(Vendor master)
    {
        string[] schema =
        [
            "CREATE TABLE members (id integer PRIMARY KEY, nick varchar(30) NOT NULL)",
            "INSERT INTO members VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')",
        ];
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.Sqlite], schema, [("members", "log")],
            test: $"{nameof(A_multi_row_update_is_replayed_and_recorded_once)}_{master}");
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("UPDATE members SET nick = CONCAT(nick, '!')");

        foreach (var (node, _, _) in replication.Nodes)
        {
            var replay = await replication.ReplOkAsync("replay", "--node", node, "--once");
            Assert.Contains("applied 1 transaction(s), 3 row(s) upserted", replay.Text, StringComparison.Ordinal);
        }
        await replication.AssertSlavesEqualMasterAsync("members");
    }
}
