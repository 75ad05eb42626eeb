using Npgsql;
using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.IntegrationTests.PostgreSql;

public sealed class PostgreSqlValuesTests
{
    private static readonly SchemaDialect Pg = PostgreSqlSchema.Dialect;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string HardValuesTable = """
        CREATE TABLE hard (
            id integer PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, num numeric, num_s numeric(38,10), f4 real,
            f8 double precision, ch char(5), vc varchar(300), tx text, bin bytea, d date, t time, ts timestamp, tstz timestamptz,
            u uuid, j json, jb jsonb
        )
        """;

    private static readonly string MaxVarChar = string.Concat(Enumerable.Repeat("🙂", 300));

    private static readonly object?[][] Rows =
    [
        [1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
        [2, false, short.MinValue, int.MinValue, long.MinValue, decimal.MinValue, -0.0000000001m, float.MinValue, double.MinValue,
            "", "", "", Array.Empty<byte>(), new DateOnly(1066, 10, 14), TimeOnly.MinValue,
            new DateTime(1850, 3, 1, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(10),
            new DateTime(1899, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
            Guid.Empty, "{}", "[]"],
        [3, true, short.MaxValue, int.MaxValue, long.MaxValue, decimal.MaxValue, 1234567890123456789.0123456789m, float.MaxValue, double.MaxValue,
            " a", MaxVarChar, "emoji 🙂 CJK 漢字 ñ \t\n quotes ' \" \\ end", new byte[] { 0x00, 0xFF, 0x00, 0x01, 0x00 },
            new DateOnly(2150, 6, 1), new TimeOnly(23, 59, 59, 999, 999),
            new DateTime(2199, 12, 31, 23, 59, 59, DateTimeKind.Unspecified).AddTicks(9_999_990),
            new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10),
            Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "{ \"b\" : 1,\n  \"a\": [1, 2.50] }", "{\"a\": [1, 2.50], \"b\": \"漢字\"}"],
        [4, null, (short)0, 0, 0L, 0.0000000000000000000000000001m, 0m, float.NaN, 0.30000000000000004,
            "abcde", "x", "0", new byte[] { 0 }, new DateOnly(9999, 12, 30), new TimeOnly(12, 0, 0, 0, 1),
            new DateTime(1, 1, 2, 0, 0, 0, DateTimeKind.Unspecified),
            new DateTime(9999, 12, 30, 0, 0, 0, DateTimeKind.Utc), Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), "null", "\"text\""],
        [5, null, (short)-1, -1, -1L, -79228162514264.337593543950335m, 99999999999999999999999999.99m, float.Epsilon, double.Epsilon,
            "é🙂", "'", " ", null, null, null, null, null, null, "[]", "123.456"],
        [6, null, null, null, null, null, null, float.PositiveInfinity, double.NegativeInfinity,
            null, null, null, null, null, null, null, null, null, null, null],
        [7, null, null, null, null, null, null, 1.17549435E-38f, 1.2345678901234567E-300,
            null, null, null, null, null, null, null, null, null, null, null],
    ];

    [Fact]
    public async Task Hard_values_bound_then_read_come_back_equal_value_by_value()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync(HardValuesTable);
        var table = await Pg.Catalog.ReadTableAsync(db, new DbObjectName("public", "hard"), Ct);
        var columns = table.Columns;

        foreach (var row in Rows)
        {
            await using var insert = db.CreateCommand();
            insert.CommandText = $"INSERT INTO hard VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            for (var i = 0; i < columns.Count; i++)
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = "p" + i;
                Pg.Values.Bind(parameter, row[i], columns[i].Type);
                insert.Parameters.Add(parameter);
            }
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var select = new NpgsqlCommand("SELECT * FROM hard ORDER BY id", db);
        await using var reader = await select.ExecuteReaderAsync(Ct);
        var rowIndex = 0;
        while (await reader.ReadAsync(Ct))
        {
            var expected = Rows[rowIndex++];
            for (var i = 0; i < columns.Count; i++)
            {
                var actual = Pg.Values.Read(reader, i, columns[i].Type);
                var want = columns[i].Type.Kind == CanonicalKind.Char && expected[i] is string s ? s.TrimEnd(' ') : expected[i];
                Assert.True(Equals(want, actual) || (want is byte[] wb && actual is byte[] ab && wb.AsSpan().SequenceEqual(ab)),
                    $"row {expected[0]} column {columns[i].Name}: expected {Show(want)}, read {Show(actual)}");
                if (actual is DateTime time)
                    Assert.Equal(columns[i].Type.Kind == CanonicalKind.TimestampTz ? DateTimeKind.Utc : DateTimeKind.Unspecified, time.Kind);
                if (actual is not null)
                    Assert.Equal(want!.GetType(), actual.GetType());
            }
        }
        Assert.Equal(Rows.Length, rowIndex);
    }

    [Fact]
    public async Task Json_text_is_kept_exactly_and_nulls_bind_typed()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        var json = new CanonicalType(CanonicalKind.Json);
        await using var command = new NpgsqlCommand("SELECT @j, pg_typeof(@j)::text, @n IS NULL, pg_typeof(@n)::text", db);
        Pg.Values.Bind(command.Parameters.Add(new NpgsqlParameter { ParameterName = "j" }), "{ \"a\" :1 }", json);
        Pg.Values.Bind(command.Parameters.Add(new NpgsqlParameter { ParameterName = "n" }), null, new CanonicalType(CanonicalKind.Date));

        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));

        Assert.Equal("{ \"a\" :1 }", Pg.Values.Read(reader, 0, json));
        Assert.Equal("json", reader.GetString(1));
        Assert.True(reader.GetBoolean(2));
        Assert.Equal("date", reader.GetString(3));
    }

    [Fact]
    public async Task Timestamps_are_normalised_to_the_kind_the_column_needs()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT @ts, @tstz, @tstz_offset", db);
        var local = new DateTime(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc);
        Pg.Values.Bind(command.Parameters.Add(new NpgsqlParameter { ParameterName = "ts" }), local, new CanonicalType(CanonicalKind.Timestamp, Precision: 6));
        Pg.Values.Bind(command.Parameters.Add(new NpgsqlParameter { ParameterName = "tstz" }),
            DateTime.SpecifyKind(local, DateTimeKind.Unspecified), new CanonicalType(CanonicalKind.TimestampTz, Precision: 6));
        Pg.Values.Bind(command.Parameters.Add(new NpgsqlParameter { ParameterName = "tstz_offset" }),
            new DateTimeOffset(2024, 2, 29, 14, 30, 0, TimeSpan.FromHours(2)), new CanonicalType(CanonicalKind.TimestampTz, Precision: 6));

        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));

        var ts = Assert.IsType<DateTime>(Pg.Values.Read(reader, 0, new CanonicalType(CanonicalKind.Timestamp, Precision: 6)));
        Assert.Equal((local.Ticks, DateTimeKind.Unspecified), (ts.Ticks, ts.Kind));
        foreach (var ordinal in new[] { 1, 2 })
        {
            var tstz = Assert.IsType<DateTime>(Pg.Values.Read(reader, ordinal, new CanonicalType(CanonicalKind.TimestampTz, Precision: 6)));
            Assert.Equal((local.Ticks, DateTimeKind.Utc), (tstz.Ticks, tstz.Kind));
        }
    }

    [Theory]
    [InlineData("1.10", "numeric(12,2)", "1.10")]
    [InlineData("1.10", "numeric(40,2)", "1.10")]
    [InlineData("1.10", "numeric", "1.10")]
    [InlineData("0", "numeric", "0")]
    [InlineData("0.000", "numeric", "0.000")]
    [InlineData("-0.0001", "numeric", "-0.0001")]
    [InlineData("10000", "numeric", "10000")]
    [InlineData("100000000", "numeric", "100000000")]
    [InlineData("123.456", "numeric(38,10)", "123.4560000000")]
    [InlineData("-99999999999999999999999999.99", "numeric(38,10)", "-99999999999999999999999999.99")]
    [InlineData("0.0000000000000000000000000001", "numeric(40,28)", "0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335", "numeric(30,0)", "79228162514264337593543950335")]
    [InlineData("1", "numeric(60,40)", "1.0000000000000000000000000000")]
    [InlineData("12345678901234567890.12345678", "numeric(60,40)", "12345678901234567890.123456780")]
    [InlineData("1e20", "numeric", "100000000000000000000")]
    public async Task Numerics_read_exactly_with_their_display_scale_as_far_as_System_Decimal_holds_it(string literal, string declared, string expected)
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        var precision = declared.StartsWith("numeric(", StringComparison.Ordinal) ? int.Parse(declared[8..declared.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        await using var command = new NpgsqlCommand($"SELECT '{literal}'::{declared}", db);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));

        var value = Assert.IsType<decimal>(Pg.Values.Read(reader, 0, new CanonicalType(CanonicalKind.Decimal, Precision: precision, Scale: 0)));

        Assert.Equal(expected, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Random_decimals_survive_bind_and_read_through_wide_numeric_columns()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE nums (free numeric, wide numeric(50,20), narrow numeric(28,10))");
        var random = new Random(20260601);
        var values = Enumerable.Range(0, 500).Select(_ =>
            new decimal(random.Next(), random.Next(), random.Next(0, 5), random.Next(2) == 0, (byte)random.Next(10, 19))).ToList();
        var free = new CanonicalType(CanonicalKind.Decimal);
        var wide = new CanonicalType(CanonicalKind.Decimal, Precision: 50, Scale: 20);
        var narrow = new CanonicalType(CanonicalKind.Decimal, Precision: 28, Scale: 10);
        foreach (var value in values)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO nums VALUES (@a, @b, @c)", db);
            Pg.Values.Bind(insert.Parameters.Add(new NpgsqlParameter { ParameterName = "a" }), value, free);
            Pg.Values.Bind(insert.Parameters.Add(new NpgsqlParameter { ParameterName = "b" }), value, wide);
            Pg.Values.Bind(insert.Parameters.Add(new NpgsqlParameter { ParameterName = "c" }), Math.Round(value, 10), narrow);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var select = new NpgsqlCommand("SELECT free, wide, narrow FROM nums", db);
        await using var reader = await select.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, Ct);
        var read = new List<(decimal, decimal, decimal)>();
        while (await reader.ReadAsync(Ct))
            read.Add(((decimal)Pg.Values.Read(reader, 0, free)!, (decimal)Pg.Values.Read(reader, 1, wide)!, (decimal)Pg.Values.Read(reader, 2, narrow)!));

        Assert.Equal(values.Select(v => (v, v, Math.Round(v, 10))), read);
    }

    [Fact]
    public async Task A_numeric_beyond_System_Decimal_is_refused_naming_the_column()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1e40::numeric AS huge", db);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));

        var error = Assert.Throws<SchemaException>(() => Pg.Values.Read(reader, 0, new CanonicalType(CanonicalKind.Decimal)));

        Assert.StartsWith("Column huge holds a numeric value beyond System.Decimal", error.Message, StringComparison.Ordinal);
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) + " (" + value.GetType().Name + ")",
        _ => value + " (" + value.GetType().Name + ")",
    };
}
