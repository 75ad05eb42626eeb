using System.Data.Common;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Schema;

/// <summary>
/// Issue 3's cross-vendor proof: a master table of more than 25 columns covering every canonical type, filled with hard
/// values, is read through the master's catalog reader, created on a slave of each vendor with that vendor's DDL, copied
/// with the drivers (master codec reads, slave codec binds) and read back equal value by value.
/// </summary>
public sealed class Every_canonical_type_survives_every_master_slave_pair
{
    private const string Emoji = "emoji 🙂🚀 and CJK 日本語 中文 한국어";
    private static readonly string Long200 = new string('é', 199) + "🙂";

    public static TheoryData<Vendor, Vendor> Pairs => new()
    {
        { Vendor.PostgreSql, Vendor.PostgreSql }, { Vendor.PostgreSql, Vendor.MySql }, { Vendor.PostgreSql, Vendor.Sqlite },
        { Vendor.MySql, Vendor.PostgreSql }, { Vendor.MySql, Vendor.MySql }, { Vendor.MySql, Vendor.Sqlite },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Hard_values_read_back_equal_on_the_slave(Vendor masterVendor, Vendor slaveVendor)
    {
        var test = $"{nameof(Hard_values_read_back_equal_on_the_slave)}_{masterVendor}_{slaveVendor}";
        var masterCs = masterVendor == Vendor.PostgreSql
            ? await TestServers.NewPostgreSqlDatabaseAsync("master", test)
            : await TestServers.NewMySqlDatabaseAsync("master", test);
        var slaveCs = slaveVendor switch
        {
            Vendor.PostgreSql => await TestServers.NewPostgreSqlDatabaseAsync("slave", test),
            Vendor.MySql => await TestServers.NewMySqlDatabaseAsync("slave", test),
            _ => TestServers.NewSqliteDatabase("slave", test),
        };
        var master = Replication.Dialect(masterVendor);
        var slave = Replication.Dialect(slaveVendor);

        await using var m = await Replication.OpenAsync(masterVendor, masterCs);
        foreach (var sql in masterVendor == Vendor.PostgreSql ? PostgreSqlMaster : MySqlMaster)
            await ExecAsync(m, sql);
        var found = await master.Catalog.FindTablesAsync(m, new DbObjectName(null, "everything"), CancellationToken.None);
        var table = await master.Catalog.ReadTableAsync(m, Assert.Single(found), CancellationToken.None);
        Assert.True(table.Columns.Count >= 25, $"only {table.Columns.Count} columns");
        var kinds = table.Columns.Select(c => c.Type.Kind).ToHashSet();
        Assert.All(Enum.GetValues<CanonicalKind>(), k => Assert.Contains(k, kinds));

        var target = new DbObjectName(null, "everything");
        await using var s = await Replication.OpenAsync(slaveVendor, slaveCs);
        foreach (var sql in slave.Ddl.CreateTable(table, target))
            await ExecAsync(s, sql);

        var masterRows = await RowComparer.ReadAsync(m, master, table, table.Name);
        Assert.Equal(5, masterRows.Count);
        await using (var tx = await s.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            foreach (var row in masterRows.Values)
            {
                await using var insert = s.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = $"INSERT INTO {slave.Identifiers.Quote(target)} ({string.Join(", ", table.Columns.Select(c => slave.Identifiers.Quote(c.Name)))}) " +
                    $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    var p = insert.CreateParameter();
                    p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    slave.Values.Bind(p, row[i], table.Columns[i].Type);
                    insert.Parameters.Add(p);
                }
                await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            await tx.CommitAsync(TestContext.Current.CancellationToken);
        }

        var slaveRows = await RowComparer.ReadAsync(s, slave, table, target);
        var differences = RowComparer.Differences(masterRows, slaveRows, table, limit: 50);
        Assert.True(differences.Count == 0, $"{masterVendor} -> {slaveVendor}:\n{string.Join("\n", differences)}");
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string[] PostgreSqlMaster =>
    [
        """
        CREATE TABLE everything (
            id integer PRIMARY KEY, flag boolean, small smallint, medium integer, big bigint,
            money numeric(28,10), price numeric(10,2), ratio real, precise double precision,
            code char(10), name varchar(200), body text, payload bytea, born date, alarm time(6), alarm0 time(0),
            seen timestamp(6), seen0 timestamp(0), happened timestamptz(6), token uuid, doc json, docb jsonb,
            initial char(1), title varchar(50), counter bigint, note text)
        """,
        "INSERT INTO everything (id) VALUES (1)",
        $$"""
        INSERT INTO everything VALUES (2, false, 0, 0, 0, 0, 0, 0, 0, '', '', '', '\x'::bytea, '2000-01-01', '00:00:00', '00:00:00',
            '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000', '{}', '[]',
            ' ', '', 0, '')
        """,
        $$"""
        INSERT INTO everything VALUES (3, true, 32767, 2147483647, 9223372036854775807, 999999999999999999.9999999999, 99999999.99,
            3.4028235e38, 1.7976931348623157e308, 'ABCDEFGHIJ', '{{Long200}}', '{{Emoji}}', '\x00ff00'::bytea, '2199-12-31', '23:59:59.999999',
            '23:59:59', '2199-12-31 23:59:59.999999', '2199-12-31 23:59:59', '2199-12-31 23:59:59.999999+00',
            'ffffffff-ffff-ffff-ffff-ffffffffffff', '{"a": [1, 2, "ü🙂"], "b": null}', '{"k": "日本"}', 'Z', '{{Emoji[..20]}}', 1, '{{Emoji}}')
        """,
        $$"""
        INSERT INTO everything VALUES (4, false, -32768, -2147483648, -9223372036854775808, -999999999999999999.9999999999, -99999999.99,
            -1.17549435e-38, 0.30000000000000004, 'x', 'quote '' and " and \ and `', 'tab	and
        newline', '\x0000000000'::bytea, '1850-03-04', '12:34:56.000001', '12:34:56', '1850-03-04 05:06:07.000008',
            '1850-03-04 05:06:07', '1850-03-04 05:06:07.000008+00', '123e4567-e89b-12d3-a456-426614174000', '"just a string"', '123', 'é', 'select', -1, 'order')
        """,
        """
        INSERT INTO everything VALUES (5, NULL, NULL, NULL, NULL, 0.0000000001, -0.01, 1.0e-30, -2.2250738585072014e-308, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, '2026-11-29 10:00:00.5+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """,
    ];

    private static string[] MySqlMaster =>
    [
        """
        CREATE TABLE everything (
            id int PRIMARY KEY, flag tinyint(1), small smallint, medium int, big bigint,
            money decimal(28,10), price decimal(10,2), ratio float, precise double,
            code char(10), name varchar(200), body text, payload varbinary(100), born date, alarm time(6), alarm0 time,
            seen datetime(6), seen0 datetime, happened timestamp(6) NULL, token uuid, doc json, tiny tinyint,
            initial char(1), title varchar(50), counter int unsigned, note longtext, size enum('s','m','xl'), huge bigint unsigned, blobby longblob
        ) ENGINE=InnoDB
        """,
        "INSERT INTO everything (id) VALUES (1)",
        """
        INSERT INTO everything VALUES (2, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '', '', '2000-01-01', '00:00:00', '00:00:00',
            '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '00000000-0000-0000-0000-000000000000', '{}', 0,
            '', '', 0, '', 's', 0, '')
        """,
        $$"""
        INSERT INTO everything VALUES (3, 1, 32767, 2147483647, 9223372036854775807, 999999999999999999.9999999999, 99999999.99,
            3.40282e38, 1.7976931348623157e308, 'ABCDEFGHIJ', '{{Long200}}', '{{Emoji}}', x'00ff00', '2199-12-31', '23:59:59.999999',
            '23:59:59', '2199-12-31 23:59:59.999999', '2199-12-31 23:59:59', '2038-01-19 03:14:07.999999',
            'ffffffff-ffff-ffff-ffff-ffffffffffff', '{"a": [1, 2, "ü🙂"], "b": null}', 127, 'Z', '{{Emoji[..20]}}', 4294967295, '{{Emoji}}', 'xl',
            18446744073709551615, x'00')
        """,
        """
        INSERT INTO everything VALUES (4, 0, -32768, -2147483648, -9223372036854775808, -999999999999999999.9999999999, -99999999.99,
            -1.17549e-38, 0.30000000000000004, 'x', 'quote '' and " and \\ and `', 'tab	and
        newline', x'0000000000', '1850-03-04', '12:34:56.000001', '12:34:56', '1850-03-04 05:06:07.000008',
            '1850-03-04 05:06:07', '1970-01-01 00:00:01.000008', '123e4567-e89b-12d3-a456-426614174000', '"just a string"', -128, 'é', 'select', 1, 'order', 'm', 1, x'ff00ff')
        """,
        """
        INSERT INTO everything VALUES (5, NULL, NULL, NULL, NULL, 0.0000000001, -0.01, 1.0e-30, -2.2250738585072014e-308, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, '2026-11-29 10:00:00.5', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """,
    ];
}
