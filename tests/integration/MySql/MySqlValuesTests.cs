using System.Globalization;
using MySqlConnector;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.IntegrationTests.MySql;

public sealed class MySqlValuesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ColumnDefinition[] Columns =
    [
        new("id", new(CanonicalKind.Int32), IsNullable: false, IsIdentity: false, NativeType: "int"),
        Column("flag", new(CanonicalKind.Boolean)),
        Column("i16", new(CanonicalKind.Int16)),
        Column("i32", new(CanonicalKind.Int32)),
        Column("i64", new(CanonicalKind.Int64)),
        Column("money", new(CanonicalKind.Decimal, Precision: 12, Scale: 3)),
        Column("u64", new(CanonicalKind.Decimal, Precision: 20, Scale: 0)),
        Column("any_decimal", new(CanonicalKind.Decimal)),
        Column("f32", new(CanonicalKind.Float32)),
        Column("f64", new(CanonicalKind.Float64)),
        Column("code", new(CanonicalKind.Char, Length: 5)),
        Column("name", new(CanonicalKind.VarChar, Length: 300)),
        Column("body", new(CanonicalKind.Text)),
        Column("doc", new(CanonicalKind.Json)),
        Column("bytes16", new(CanonicalKind.Binary, Length: 16)),
        Column("blob", new(CanonicalKind.Binary)),
        Column("day", new(CanonicalKind.Date)),
        Column("clock", new(CanonicalKind.Time, Precision: 6)),
        Column("local_at", new(CanonicalKind.Timestamp, Precision: 6)),
        Column("utc_at", new(CanonicalKind.TimestampTz, Precision: 6)),
        Column("uid", new(CanonicalKind.Uuid)),
    ];

    private static readonly string MaxVarChar = new string('表', 299) + "🙂";

    private static readonly object?[][] Rows =
    [
        [1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
        [2, false, (short)0, 0, 0L, 0m, 0m, 0m, 0f, 0d, "", "", "", "{}", Array.Empty<byte>(), Array.Empty<byte>(),
            new DateOnly(2000, 1, 1), TimeOnly.MinValue, new DateTime(2000, 1, 1), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), Guid.Empty],
        [3, true, short.MaxValue, int.MaxValue, long.MaxValue, 999999999.999m, 18446744073709551615m, decimal.MaxValue,
            float.MaxValue, 0.30000000000000004, "ab", MaxVarChar, "emoji 🙂 CJK 表 nul\0inside \"quotes\" 'single' `back` \\slash\n",
            "{\"a\": [1, 2.50, \"表🙂\"],  \"b\" : null}", new byte[] { 0, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0 }, new byte[] { 0x00, 0x00, 0xFF, 0x00 },
            new DateOnly(1850, 3, 4), new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)),
            new DateTime(1899, 12, 31, 23, 59, 59).AddTicks(9_999_990), new DateTime(2038, 1, 19, 3, 14, 8, DateTimeKind.Utc).AddTicks(10),
            Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")],
        [4, false, short.MinValue, int.MinValue, long.MinValue, -999999999.999m, 0m, decimal.MinValue,
            16777216f, 1.7976931348623157E+308, "abcde", "trailing  ", new string('x', 70_000), "[]", new byte[16], new byte[70_000],
            new DateOnly(2150, 12, 31), new TimeOnly(0, 0, 0, 0, 1), new DateTime(2200, 2, 28, 12, 0, 0, 1), new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Guid.Parse("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")],
        [5, true, (short)-1, -1, -1L, 0.001m, 1m, 0.0000000000000000000000000001m,
            1.17549435E-38f, double.Epsilon, "a  b", "  ", " ", "\"text\"", new byte[] { 0 }, new byte[] { 0 },
            new DateOnly(1, 1, 1), new TimeOnly(12, 0), new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990), new DateTime(1000, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Guid.NewGuid()],
        [6, true, (short)1, 1, 1L, -0.001m, 12345678901234567890m, -1.2345678901234567890123456789m,
            float.Epsilon, 1234567.8901234567, "🙂", "表", "ü", "{\"k\": \"🙂\"}", new byte[] { 1 }, new byte[] { 1 },
            new DateOnly(1000, 1, 1), new TimeOnly(0, 0), new DateTime(1000, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc),
            Guid.NewGuid()],
    ];

    private static ColumnDefinition Column(string name, CanonicalType type) => new(name, type, IsNullable: true, IsIdentity: false, NativeType: type.ToString());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hard_values_written_with_Bind_read_back_equal_through_Read(bool prepared)
    {
        await using var db = await MariaDb.OpenAsync(prepared ? "prepared" : "text");
        var table = TableDefinition.Create(new DbObjectName(null, "hard"), Columns, new KeyDefinition(null, ["id"]), [], []);
        await MariaDb.CreateAsync(db, table, table.Name);
        await InsertAsync(db, table);

        var rows = await ReadAsync(db, table, prepared);

        Assert.Equal(Rows.Length, rows.Count);
        var mismatches = new List<string>();
        for (var r = 0; r < Rows.Length; r++)
            for (var c = 0; c < Columns.Length; c++)
                if (!Same(Rows[r][c], rows[r][c]))
                    mismatches.Add($"row {Rows[r][0]} column {Columns[c].Name}: wrote {Show(Rows[r][c])}, read {Show(rows[r][c])}");
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task Floats_lose_digits_in_the_text_protocol_unless_read_through_ReadExpression_or_a_prepared_command()
    {
        await using var db = await MariaDb.OpenAsync();
        var table = TableDefinition.Create(new DbObjectName(null, "floats"), Columns[..1].Append(Column("f32", new(CanonicalKind.Float32))).ToList(),
            new KeyDefinition(null, ["id"]), [], []);
        await MariaDb.CreateAsync(db, table, table.Name);
        await using (var insert = new MySqlCommand("INSERT INTO floats VALUES (1, @f)", db))
        {
            MariaDb.Dialect.Values.Bind(insert.Parameters.Add(new MySqlParameter { ParameterName = "@f" }), 16777216f, table.Columns[1].Type);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var plain = await ScalarAsync(db, "SELECT f32 FROM floats", table.Columns[1].Type, prepare: false);
        var expression = await ScalarAsync(db, $"SELECT {MySqlValues.ReadExpression("f32", table.Columns[1].Type)} FROM floats", table.Columns[1].Type, prepare: false);
        var prepared = await ScalarAsync(db, "SELECT f32 FROM floats", table.Columns[1].Type, prepare: true);

        Assert.Equal(16777200f, plain);
        Assert.Equal(16777216f, expression);
        Assert.Equal(16777216f, prepared);
    }

    [Fact]
    public async Task Timestamp_columns_read_as_utc_instants_in_the_utc_session()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE t (id int NOT NULL PRIMARY KEY, at timestamp(6) NULL)");
        await MariaDb.ExecuteAsync(db, "SET time_zone = '+02:00'; INSERT INTO t VALUES (1, '2024-06-01 12:00:00.123456'); SET time_zone = '+00:00'");
        var type = (await MariaDb.ReadAsync(db, "t")).Column("at").Type;

        var value = Assert.IsType<DateTime>(await ScalarAsync(db, "SELECT at FROM t", type, prepare: false));

        Assert.Equal(new CanonicalType(CanonicalKind.TimestampTz, Precision: 6), type);
        Assert.Equal(new DateTime(2024, 6, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560), value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AllowZeroDateTime=True")]
    public async Task A_zero_date_is_refused_naming_the_column_whatever_the_connection_options(string options)
    {
        var connectionString = await MariaDb.NewDatabaseAsync(options.Length.ToString(CultureInfo.InvariantCulture));
        await using (var setup = await MariaDb.OpenExistingAsync(connectionString))
        {
            await MariaDb.ExecuteAsync(setup, "CREATE TABLE t (id int NOT NULL PRIMARY KEY, born date, seen datetime(6))");
            await MariaDb.ExecuteAsync(setup, "INSERT INTO t VALUES (1, '0000-00-00', '2024-00-10 00:00:00')");
        }
        await using var db = await MariaDb.OpenExistingAsync(connectionString + ";" + options);

        var born = await Assert.ThrowsAsync<SchemaException>(() => ScalarAsync(db, "SELECT born FROM t", new CanonicalType(CanonicalKind.Date), prepare: false));
        var seen = await Assert.ThrowsAsync<SchemaException>(() => ScalarAsync(db, "SELECT seen FROM t", new CanonicalType(CanonicalKind.Timestamp, Precision: 6), prepare: false));

        Assert.StartsWith("Column born holds a MariaDB zero or partial date", born.Message, StringComparison.Ordinal);
        Assert.Contains("UPDATE ... SET born = NULL WHERE born = '0000-00-00'", born.Message, StringComparison.Ordinal);
        Assert.StartsWith("Column seen holds a MariaDB zero or partial date", seen.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_outside_one_day_is_refused_naming_the_column()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE t (id int NOT NULL PRIMARY KEY, took time)");
        await MariaDb.ExecuteAsync(db, "INSERT INTO t VALUES (1, '25:00:00'), (2, '-01:00:00')");

        var e = await Assert.ThrowsAsync<SchemaException>(() => ScalarAsync(db, "SELECT took FROM t WHERE id = 1", new CanonicalType(CanonicalKind.Time, Precision: 0), prepare: false));
        await Assert.ThrowsAsync<SchemaException>(() => ScalarAsync(db, "SELECT took FROM t WHERE id = 2", new CanonicalType(CanonicalKind.Time, Precision: 0), prepare: false));

        Assert.StartsWith("Column took holds the MariaDB TIME 1.01:00:00, which is not a time of day", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decimal_beyond_System_Decimal_is_refused_naming_column_and_value()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE t (id int NOT NULL PRIMARY KEY, big decimal(65,0))");
        await MariaDb.ExecuteAsync(db, "INSERT INTO t VALUES (1, 99999999999999999999999999999999999)");

        var e = await Assert.ThrowsAsync<SchemaException>(() => ScalarAsync(db, "SELECT big FROM t", new CanonicalType(CanonicalKind.Decimal, Precision: 65, Scale: 0), prepare: false));

        Assert.StartsWith("Column big holds 99999999999999999999999999999999999, which is beyond System.Decimal", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Char36_text_reads_as_text_with_MySqlSchema_options_and_is_explained_without_them()
    {
        var connectionString = await MariaDb.NewDatabaseAsync();
        await using var db = await MariaDb.OpenExistingAsync(connectionString);
        await MariaDb.ExecuteAsync(db, "CREATE TABLE t (id int NOT NULL PRIMARY KEY, ref char(36))");
        await MariaDb.ExecuteAsync(db, "INSERT INTO t VALUES (1, 'not a guid, but thirty-six chars....')");
        var type = new CanonicalType(CanonicalKind.Char, Length: 36);
        await using var defaults = await MariaDb.OpenExistingAsync(new MySqlConnectionStringBuilder(connectionString) { GuidFormat = MySqlGuidFormat.Default }.ConnectionString);

        var text = await ScalarAsync(db, "SELECT ref FROM t", type, prepare: false);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ScalarAsync(defaults, "SELECT ref FROM t", type, prepare: false));

        Assert.Equal("not a guid, but thirty-six chars....", text);
        Assert.Contains("GuidFormat=None", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_that_differ_only_in_trailing_spaces_stay_distinct_rows()
    {
        await using var db = await MariaDb.OpenAsync();
        var table = TableDefinition.Create(new DbObjectName(null, "pads"),
            [new ColumnDefinition("k", new(CanonicalKind.VarChar, Length: 10), false, false, "varchar(10)")], new KeyDefinition(null, ["k"]), [], []);
        await MariaDb.CreateAsync(db, table, table.Name);

        await MariaDb.ExecuteAsync(db, "INSERT INTO pads VALUES ('a'), ('a '), ('a  ')");
        await MariaDb.ExecuteAsync(db, "DELETE FROM pads WHERE k = 'a'");

        Assert.Equal(2L, await ScalarAsync(db, "SELECT COUNT(*) FROM pads", new CanonicalType(CanonicalKind.Int64), prepare: false));
    }

    [Fact]
    public async Task Long_keys_indexes_and_wide_rows_are_created_as_the_server_allows_and_read_back()
    {
        await using var db = await MariaDb.OpenAsync();
        var columns = new List<ColumnDefinition>
        {
            new("id", new(CanonicalKind.Int32), false, false, "int"),
            Column("body", new(CanonicalKind.Text)),
            Column("tag", new(CanonicalKind.VarChar, Length: 10)),
            Column("title", new(CanonicalKind.VarChar, Length: 1000)),
            Column("blob", new(CanonicalKind.Binary)),
            Column("at", new(CanonicalKind.Timestamp, Precision: 6)),
        };
        columns.AddRange(Enumerable.Range(0, 5).Select(i => Column($"wide{i}", new(CanonicalKind.VarChar, Length: 4000))));
        var table = TableDefinition.Create(new DbObjectName(null, "posts"), columns, new KeyDefinition(null, ["id"]),
            [new KeyDefinition(null, ["body"])],
            [new IndexDefinition("a", ["body", "tag"], false), new IndexDefinition("b", ["title", "blob", "at"], false), new IndexDefinition("c", ["title", "tag"], true)]);

        await MariaDb.CreateAsync(db, table, table.Name);
        var copy = await MariaDb.ReadAsync(db, "posts");
        await MariaDb.ExecuteAsync(db, "INSERT INTO posts (id, body) VALUES (1, REPEAT('x', 5000))");
        var duplicate = await Assert.ThrowsAsync<MySqlException>(() => MariaDb.ExecuteAsync(db, "INSERT INTO posts (id, body) VALUES (2, REPEAT('x', 5000))"));

        Assert.Equal(MySqlErrorCode.DuplicateKeyEntry, duplicate.ErrorCode);
        Assert.Equal(["body", "title|tag"], copy.UniqueConstraints.Select(u => string.Join("|", u.Columns)));
        Assert.Equal(["body|tag", "title|blob|at"], copy.Indexes.Select(i => string.Join("|", i.Columns)));
        Assert.Equal(new CanonicalType(CanonicalKind.Text), copy.Column("wide0").Type);
        Assert.Equal(new CanonicalType(CanonicalKind.Text), copy.Column("wide1").Type);
        Assert.Equal(new CanonicalType(CanonicalKind.VarChar, Length: 4000), copy.Column("wide2").Type);
    }

    private static async Task InsertAsync(MySqlConnection db, TableDefinition table)
    {
        var names = string.Join(", ", table.Columns.Select(c => MariaDb.Rules.Quote(c.Name)));
        var parameters = string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"));
        foreach (var row in Rows)
        {
            await using var insert = new MySqlCommand($"INSERT INTO {MariaDb.Rules.Quote(table.Name)} ({names}) VALUES ({parameters})", db);
            for (var i = 0; i < table.Columns.Count; i++)
                MariaDb.Dialect.Values.Bind(insert.Parameters.Add(new MySqlParameter { ParameterName = $"@p{i}" }), row[i], table.Columns[i].Type);
            await insert.ExecuteNonQueryAsync(Ct);
        }
    }

    private static async Task<List<object?[]>> ReadAsync(MySqlConnection db, TableDefinition table, bool prepared)
    {
        var select = string.Join(", ", table.Columns.Select(c => MySqlValues.ReadExpression(MariaDb.Rules.Quote(c.Name), c.Type)));
        await using var command = new MySqlCommand($"SELECT {select} FROM {MariaDb.Rules.Quote(table.Name)} ORDER BY id", db);
        if (prepared)
            await command.PrepareAsync(Ct);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
            rows.Add(table.Columns.Select((c, i) => MariaDb.Dialect.Values.Read(reader, i, c.Type)).ToArray());
        return rows;
    }

    private static async Task<object?> ScalarAsync(MySqlConnection db, string sql, CanonicalType type, bool prepare)
    {
        await using var command = new MySqlCommand(sql, db);
        if (prepare)
            await command.PrepareAsync(Ct);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return MariaDb.Dialect.Values.Read(reader, 0, type);
    }

    private static bool Same(object? wrote, object? read) => (wrote, read) switch
    {
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (DateTime a, DateTime b) => a == b && a.Kind == b.Kind,
        _ => Equals(wrote, read),
    };

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        byte[] b => Convert.ToHexString(b.Length > 20 ? b[..20] : b) + (b.Length > 20 ? $"... ({b.Length} bytes)" : ""),
        string s when s.Length > 40 => $"'{s[..40]}...' ({s.Length} chars)",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture) + " " + d.Kind,
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"'{value}' ({value.GetType().Name})",
    };
}
