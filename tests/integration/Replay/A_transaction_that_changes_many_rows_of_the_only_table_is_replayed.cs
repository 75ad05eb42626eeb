using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Replay;

/// <summary>
/// With one replicated table, a transaction that logged several rows appears several times in that table's log; replay must
/// record its txid as processed once (the duplicate used to break the processed table's primary key and fail every cycle).
/// </summary>
public sealed class A_transaction_that_changes_many_rows_of_the_only_table_is_replayed
{
    [Theory]
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    public async Task Replay_marks_its_txid_processed_once_and_the_slave_equals_the_master(Vendor master)
    {
        string[] schema = ["CREATE TABLE siteusers (siteuserid integer PRIMARY KEY, username varchar(40) NOT NULL)"];
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql], schema, [("siteusers", "log")],
            $"{nameof(A_transaction_that_changes_many_rows_of_the_only_table_is_replayed)}_{master}");
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("INSERT INTO siteusers VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')");

        var output = await replication.ReplOkAsync("replay", "--once", "--node", "pg");

        Assert.Contains("applied 1 transaction(s), 3 row(s) upserted", output.Text, StringComparison.Ordinal);
        await replication.AssertSlavesEqualMasterAsync("siteusers");
    }
}
