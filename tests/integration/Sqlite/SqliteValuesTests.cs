using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.IntegrationTests.Sqlite;

public sealed class SqliteValuesTests
{
    private static readonly SchemaDialect Sqlite = SqliteSchema.Dialect;
    private static readonly CanonicalType Id = new(CanonicalKind.Int32);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Creates a table with one column of <paramref name="type"/> through the SQLite DDL, inserts every value bound through
    /// the codec, reads them back through the codec and asserts them equal value by value; returns SQLite's storage class and text of each row.
    /// </summary>
    private static async Task<IReadOnlyList<(string Storage, string? Text)>> RoundTripAsync(CanonicalType type, IReadOnlyList<object?> values, [CallerMemberName] string test = "")
    {
        var table = TableDefinition.Create(new DbObjectName(null, "v"),
            [new ColumnDefinition("id", Id, false, false, "int"), new ColumnDefinition("value", type, true, false, type.ToString())],
            new KeyDefinition(null, ["id"]), [], []);
        await using var connection = new SqliteConnection(TestServers.NewSqliteDatabase(test: test));
        await connection.OpenAsync(Ct);
        foreach (var statement in Sqlite.Ddl.CreateTable(table, table.Name))
        {
            await using var create = connection.CreateCommand();
            create.CommandText = statement;
            await create.ExecuteNonQueryAsync(Ct);
        }

        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO \"v\" (\"id\", \"value\") VALUES (@id, @value)";
            var id = insert.CreateParameter();
            id.ParameterName = "@id";
            var value = insert.CreateParameter();
            value.ParameterName = "@value";
            insert.Parameters.Add(id);
            insert.Parameters.Add(value);
            for (var i = 0; i < values.Count; i++)
            {
                Sqlite.Values.Bind(id, i, Id);
                Sqlite.Values.Bind(value, values[i], type);
                await insert.ExecuteNonQueryAsync(Ct);
            }
            await transaction.CommitAsync(Ct);
        }

        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT \"id\", \"value\", typeof(\"value\"), CAST(\"value\" AS TEXT) FROM \"v\" ORDER BY \"id\"";
        await using var reader = await select.ExecuteReaderAsync(Ct);
        var storage = new List<(string, string?)>();
        var row = 0;
        while (await reader.ReadAsync(Ct))
        {
            Assert.Equal(row, Sqlite.Values.Read(reader, 0, Id));
            var expected = values[row];
            var actual = Sqlite.Values.Read(reader, 1, type);
            Assert.Equal(expected, actual);
            Assert.Equal(expected?.GetType(), actual?.GetType());
            if (expected is decimal d)
                Assert.Equal(d.ToString(CultureInfo.InvariantCulture), ((decimal)actual!).ToString(CultureInfo.InvariantCulture));
            if (expected is DateTime t)
                Assert.Equal(t.Kind, ((DateTime)actual!).Kind);
            storage.Add((reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            row++;
        }
        Assert.Equal(values.Count, row);
        return storage;
    }

    [Fact]
    public async Task Booleans_are_stored_as_integers_zero_and_one()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Boolean), [true, false, null]);
        Assert.Equal(["integer", "integer", "null"], storage.Select(s => s.Storage));
    }

    [Fact]
    public async Task Integers_keep_their_extremes()
    {
        await RoundTripAsync(new(CanonicalKind.Int16), [short.MinValue, short.MaxValue, (short)0, null]);
        await RoundTripAsync(new(CanonicalKind.Int32), [int.MinValue, int.MaxValue, 0], test: "Integers_keep_their_extremes_32");
        var storage = await RoundTripAsync(new(CanonicalKind.Int64), [long.MinValue, long.MaxValue, -1L], test: "Integers_keep_their_extremes_64");
        Assert.All(storage, s => Assert.Equal("integer", s.Storage));
    }

    [Fact]
    public async Task Decimals_stay_exact_text_with_their_scale_up_to_the_limits_of_system_decimal()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Decimal, Precision: 29, Scale: 28),
            [79228162514264337593543950335m, -79228162514264337593543950335m, -0.0000000000000000000000000001m, 1.10m, 0m, 0.00m, 123m, -5.5000m]);
        Assert.All(storage, s => Assert.Equal("text", s.Storage));
        Assert.Equal(["79228162514264337593543950335", "-79228162514264337593543950335", "-0.0000000000000000000000000001", "1.10", "0", "0.00", "123", "-5.5000"],
            storage.Select(s => s.Text));
    }

    [Fact]
    public async Task Doubles_keep_all_seventeen_significant_digits_and_special_values()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Float64),
            [0.1 + 0.2, 1.2345678901234567e-300, double.MaxValue, double.Epsilon, -123456789.12345679, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 3.0]);
        Assert.Equal(["real", "real", "real", "real", "real", "real", "real", "text", "real"], storage.Select(s => s.Storage));
    }

    [Fact]
    public async Task Float32_values_are_stored_as_real_and_read_back_as_the_same_float()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Float32), [0.1f, float.MaxValue, float.Epsilon, -3.4028235e38f, 16777217f, float.NaN, 1f]);
        Assert.Equal(["real", "real", "real", "real", "real", "text", "real"], storage.Select(s => s.Storage));
    }

    [Fact]
    public async Task Strings_keep_empty_unicode_and_long_values_distinct_from_null()
    {
        var longText = string.Concat(Enumerable.Repeat("repl 表😀 ", 200_000));
        var storage = await RoundTripAsync(new(CanonicalKind.Text), ["", null, "😀 emoji", "中文 日本語 한국어", "quote ' and \" and \\", "line\nbreak\ttab", "nul\0inside", longText]);
        Assert.Equal(["text", "null", "text", "text", "text", "text", "text", "text"], storage.Select(s => s.Storage));
        await RoundTripAsync(new(CanonicalKind.VarChar, Length: 10), ["", "0123456789", "ключ"], test: "Strings_varchar");
        await RoundTripAsync(new(CanonicalKind.Char, Length: 4), ["abcd", "a", ""], test: "Strings_char");
    }

    [Fact]
    public async Task Json_text_that_looks_like_a_number_stays_text()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Json), ["123", "1.10", "{\"a\": [1, 2.50, null]}", "\"😀\"", "null"]);
        Assert.All(storage, s => Assert.Equal("text", s.Storage));
    }

    [Fact]
    public async Task Bytes_keep_zero_bytes_and_empty_arrays()
    {
        var big = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i * 31)).ToArray();
        var storage = await RoundTripAsync(new(CanonicalKind.Binary), [new byte[] { 0, 0, 1, 0, 255 }, Array.Empty<byte>(), new byte[] { 0 }, big, null]);
        Assert.Equal(["blob", "blob", "blob", "blob", "null"], storage.Select(s => s.Storage));
    }

    [Fact]
    public async Task Dates_before_1900_and_after_2100_round_trip()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Date), [DateOnly.MinValue, new DateOnly(1899, 12, 31), new DateOnly(1582, 10, 15), new DateOnly(2100, 3, 1), DateOnly.MaxValue]);
        Assert.All(storage, s => Assert.Equal("text", s.Storage));
    }

    [Fact]
    public async Task Times_keep_microseconds()
    {
        await RoundTripAsync(new(CanonicalKind.Time, Precision: 6), [TimeOnly.MinValue, new TimeOnly(23, 59, 59, 999, 999), new TimeOnly(12, 0, 0, 0, 1), new TimeOnly(0, 0, 1)]);
    }

    [Fact]
    public async Task Timestamps_keep_microseconds_and_dates_outside_1900_to_2100()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.Timestamp, Precision: 6),
            [new DateTime(1, 1, 1), new DateTime(1850, 6, 30, 13, 14, 15).AddTicks(1230), new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(9_999_990), new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990)]);
        Assert.Equal(["0001-01-01 00:00:00.000000", "1850-06-30 13:14:15.000123", "2024-02-29 23:59:59.999999", "9999-12-31 23:59:59.999999"], storage.Select(s => s.Text));
    }

    [Fact]
    public async Task Utc_timestamps_come_back_as_utc_with_microseconds()
    {
        var storage = await RoundTripAsync(new(CanonicalKind.TimestampTz, Precision: 6),
            [new DateTime(1899, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), new DateTime(2150, 7, 4, 12, 30, 0, DateTimeKind.Utc).AddTicks(9_999_990), DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)]);
        Assert.Equal(["1899-01-01 00:00:00.000001+00:00", "2150-07-04 12:30:00.999999+00:00", "0001-01-01 00:00:00.000000+00:00"], storage.Select(s => s.Text));
    }

    [Fact]
    public async Task Uuids_are_stored_as_lower_case_text()
    {
        var guid = Guid.Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF");
        var storage = await RoundTripAsync(new(CanonicalKind.Uuid), [guid, Guid.Empty, Guid.AllBitsSet]);
        Assert.Equal([("text", "6f9619ff-8b86-d011-b42d-00c04fc964ff"), ("text", "00000000-0000-0000-0000-000000000000"), ("text", "ffffffff-ffff-ffff-ffff-ffffffffffff")], storage);
    }

    [Fact]
    public async Task Text_written_by_sqlite_date_functions_without_fraction_digits_is_read_too()
    {
        await using var connection = new SqliteConnection(TestServers.NewSqliteDatabase());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT '2024-05-06 07:08:09', '07:08:09', '2024-05-06 07:08:09+02:00', 1.5, 7";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));

        Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9), Sqlite.Values.Read(reader, 0, new(CanonicalKind.Timestamp)));
        Assert.Equal(new TimeOnly(7, 8, 9), Sqlite.Values.Read(reader, 1, new(CanonicalKind.Time)));
        var utc = (DateTime)Sqlite.Values.Read(reader, 2, new(CanonicalKind.TimestampTz))!;
        Assert.Equal((new DateTime(2024, 5, 6, 5, 8, 9), DateTimeKind.Utc), (utc, utc.Kind));
        Assert.Equal(1.5m, Sqlite.Values.Read(reader, 3, new(CanonicalKind.Decimal)));
        Assert.Equal(7m, Sqlite.Values.Read(reader, 4, new(CanonicalKind.Decimal)));
    }
}
