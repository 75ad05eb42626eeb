using System.Text.Json;
using Repl.IntegrationTests.Infrastructure;
using Repl.IntegrationTests.Snapshot;
using Repl.Schema;

namespace Repl.IntegrationTests.Verify;

/// <summary>
/// A master with a table of every canonical type (<c>everything</c>, log mode), a table keyed by text that collations
/// order differently (<c>tags</c>, log mode) and <c>AdminUsers</c> in snapshot mode, replicated to one slave and
/// initialised.
/// </summary>
internal static class VerifyScenario
{
    public const string Everything = "everything";

    public static async Task<Replication> CreateAsync(Vendor master, Vendor slave, string test)
    {
        var replication = await Replication.CreateAsync(master, [slave], [.. MasterSchema(master), .. SnapshotScenario.MasterSchema(master, 30)],
            [(Everything, "log"), ("tags", "log"), (SnapshotScenario.Table, "snapshot")], test);
        await replication.ReplOkAsync("init");
        return replication;
    }

    /// <summary>Runs verify with --json and returns its exit code and parsed report.</summary>
    public static async Task<(int ExitCode, JsonElement Report, string Text)> VerifyJsonAsync(Replication replication, params string[] args)
    {
        var (exit, output) = await replication.ReplAsync(["verify", "--json", .. args]);
        Assert.True(output.Errors.Count == 0, $"verify wrote errors (exit {exit}):\n{output.ErrorText}");
        using var document = JsonDocument.Parse(output.Text);
        return (exit, document.RootElement.Clone(), output.Text);
    }

    /// <summary>The differing keys of one table of one node as "kind key [columns]" lines, sorted.</summary>
    public static List<string> Keys(JsonElement report, string node, string table)
    {
        var nodeElement = report.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("node").GetString() == node);
        var tableElement = nodeElement.GetProperty("tables").EnumerateArray()
            .Single(t => t.GetProperty("table").GetString()!.EndsWith(table, StringComparison.Ordinal));
        var differences = tableElement.GetProperty("differences");
        if (differences.ValueKind == JsonValueKind.Null)
            return [];
        return [.. differences.GetProperty("keys").EnumerateArray().Select(k =>
            $"{k.GetProperty("kind").GetString()} " +
            string.Join(",", k.GetProperty("key").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}")) +
            (k.GetProperty("columns").GetArrayLength() > 0 ? " [" + string.Join(",", k.GetProperty("columns").EnumerateArray().Select(c => c.GetString())) + "]" : ""))
            .Order(StringComparer.Ordinal)];
    }

    public static string[] MasterSchema(Vendor master) => master == Vendor.PostgreSql ? PostgreSql : MySql;

    private const string Emoji = "emoji 🙂🚀 and CJK 日本語";

    private static readonly string[] PostgreSql =
    [
        """
        CREATE TABLE everything (
            id integer PRIMARY KEY, flag boolean, small smallint, medium integer, big bigint,
            money numeric(28,10), price numeric(10,2), ratio real, precise double precision,
            code char(10), name varchar(200), body text, payload bytea, born date, alarm time(6),
            seen timestamp(6), happened timestamptz(6), token uuid, doc json)
        """,
        "INSERT INTO everything (id) VALUES (1)",
        """
        INSERT INTO everything VALUES (2, false, 0, 0, 0, 0, 0, 0, 0, '', '', '', '\x'::bytea, '2000-01-01', '00:00:00',
            '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000', '{}')
        """,
        $"""
        INSERT INTO everything VALUES (3, true, 32767, 2147483647, 9223372036854775807, 999999999999999999.9999999999, 99999999.99,
            3.4028235e38, 1.7976931348623157e308, 'ABCDEFGHIJ', 'plain', '{Emoji}', '\x00ff00'::bytea, '2199-12-31', '23:59:59.999999',
            '2199-12-31 23:59:59.999999', '2199-12-31 23:59:59.999999+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '["ü🙂"]')
        """,
        """
        INSERT INTO everything VALUES (4, false, -32768, -2147483648, -9223372036854775808, 1.5, -0.01,
            -1.17549435e-38, 0.30000000000000004, 'x', 'quote '' and " and \', 'tab	and
        newline', '\x0000'::bytea, '1850-03-04', '12:34:56.000001', '1850-03-04 05:06:07.000008',
            '1850-03-04 05:06:07.000008+00', '123e4567-e89b-12d3-a456-426614174000', '"s"')
        """,
        "INSERT INTO everything (id, name, price) SELECT g, 'row ' || g, g / 100.0 FROM generate_series(5, 60) g",
        "CREATE TABLE tags (region varchar(20), code varchar(20), note text, PRIMARY KEY (region, code))",
        "INSERT INTO tags VALUES ('eu', 'B', 'upper'), ('eu', 'a', 'lower'), ('eu', 'b', 'lower b'), ('eu', 'é', 'accent'), ('us', '_', 'underscore'), ('us', 'Z', 'z')",
    ];

    private static readonly string[] MySql =
    [
        """
        CREATE TABLE everything (
            id int PRIMARY KEY, flag tinyint(1), small smallint, medium int, big bigint,
            money decimal(28,10), price decimal(10,2), ratio float, precise double,
            code char(10), name varchar(200), body text, payload varbinary(100), born date, alarm time(6),
            seen datetime(6), happened timestamp(6) NULL, token uuid, doc json
        ) ENGINE=InnoDB
        """,
        "INSERT INTO everything (id) VALUES (1)",
        """
        INSERT INTO everything VALUES (2, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '', '', '2000-01-01', '00:00:00',
            '2000-01-01 00:00:00', '2000-01-01 00:00:00', '00000000-0000-0000-0000-000000000000', '{}')
        """,
        $"""
        INSERT INTO everything VALUES (3, 1, 32767, 2147483647, 9223372036854775807, 999999999999999999.9999999999, 99999999.99,
            3.40282e38, 1.7976931348623157e308, 'ABCDEFGHIJ', 'plain', '{Emoji}', x'00ff00', '2199-12-31', '23:59:59.999999',
            '2199-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '["ü🙂"]')
        """,
        """
        INSERT INTO everything VALUES (4, 0, -32768, -2147483648, -9223372036854775808, 1.5, -0.01,
            -1.17549e-38, 0.30000000000000004, 'x', 'quote '' and " and \\', 'tab	and
        newline', x'0000', '1850-03-04', '12:34:56.000001', '1850-03-04 05:06:07.000008',
            '1970-01-01 00:00:01.000008', '123e4567-e89b-12d3-a456-426614174000', '"s"')
        """,
        "INSERT INTO everything (id, name, price) SELECT seq, CONCAT('row ', seq), seq / 100.0 FROM seq_5_to_60",
        "CREATE TABLE tags (region varchar(20), code varchar(20), note text, PRIMARY KEY (region, code)) ENGINE=InnoDB COLLATE utf8mb4_bin",
        "INSERT INTO tags VALUES ('eu', 'B', 'upper'), ('eu', 'a', 'lower'), ('eu', 'b', 'lower b'), ('eu', 'é', 'accent'), ('us', '_', 'underscore'), ('us', 'Z', 'z')",
    ];
}
