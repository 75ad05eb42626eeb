using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Drift;

/// <summary>
/// A dropped, a retyped and a renamed column on the master: the next init exits 2 with a message naming the table and
/// the column and what happened to it, and changes nothing on any slave (nor the master's repl objects).
/// </summary>
public sealed class Other_schema_drift_is_refused_naming_table_and_column
{
    private static readonly string[] Schema =
    [
        "CREATE TABLE members (id integer PRIMARY KEY, nick varchar(30) NOT NULL, score double precision, note text)",
        "INSERT INTO members VALUES (1, 'ann', 1.5, 'first'), (2, 'bob', NULL, NULL)",
    ];

    public static TheoryData<string, string, string> Drifts => new()
    {
        { "dropped", "ALTER TABLE members DROP COLUMN score", "table public.members: column \"score\" (float64) was dropped on the master since repl init" },
        { "retyped", "ALTER TABLE members ALTER COLUMN score TYPE real", "table public.members: column \"score\" changed type from float64 to float32 (real)" },
        { "renamed", "ALTER TABLE members RENAME COLUMN note TO remark", "table public.members: column \"note\" (text) was renamed to \"remark\" (text)" },
        { "narrowed", "ALTER TABLE members ALTER COLUMN nick TYPE varchar(20)", "table public.members: column \"nick\" changed type from varchar(30) to varchar(20)" },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public async Task Init_exits_2_naming_the_column_and_changes_no_slave(string drift, string alter, string message)
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            Schema, [("members", "log")], test: $"{nameof(Init_exits_2_naming_the_column_and_changes_no_slave)}_{drift}");
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync(alter);
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        Assert.Contains(message, output.ErrorText, StringComparison.Ordinal);
        Assert.Contains("repl applies only columns added at the end", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }
}
