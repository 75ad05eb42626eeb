using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Repl.Dialects;
using Repl.Schema;
using static Repl.IntegrationTests.SqliteApply.SqliteSlave;

namespace Repl.IntegrationTests.SqliteApply;

public sealed class SqliteApplyTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // people(id PK, email UNIQUE NOT NULL, name, photo, score): the shape every trap of DESIGN §5 needs.
    private static TableDefinition People(string name = "people") => TableDefinition.Create(new DbObjectName(null, name),
        [
            Col("id", new(CanonicalKind.Int32), nullable: false), Col("email", new(CanonicalKind.VarChar, Length: 100), nullable: false),
            Col("name", new(CanonicalKind.Text)), Col("photo", new(CanonicalKind.Binary)), Col("score", new(CanonicalKind.Decimal, Precision: 10, Scale: 2)),
        ],
        new KeyDefinition(null, ["id"]), [new KeyDefinition(null, ["email"])], []);

    private static object?[] Person(int id, string email, string? name = null, byte[]? photo = null, decimal? score = null) =>
        [id, email, name, photo, score];

    private static ChangeRow Present(object?[] values) => new(true, values);

    // A deleted key as the master reports it: only the key position is filled.
    private static ChangeRow Gone(int id) => new(false, [id, null, null, null, null]);

    [Fact]
    public void Sqlite_installs_no_routine_because_it_has_none_and_renders_its_statements_from_the_template()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "odd \"name\""),
            [Col("a", new(CanonicalKind.Int32), false), Col("b", new(CanonicalKind.Text)), Col("c", new(CanonicalKind.Int64), false)],
            new KeyDefinition(null, ["c", "a"]), [], []);

        var statements = Apply.Statements(table, table.Name);

        Assert.Empty(Apply.InstallRoutine(table, table.Name));
        Assert.Empty(Apply.UninstallRoutine(table, table.Name));
        Assert.Equal("DELETE FROM \"odd \"\"name\"\"\" WHERE \"c\" = $p0 AND \"a\" = $p1", statements.Delete);
        Assert.Equal("INSERT OR REPLACE INTO \"odd \"\"name\"\"\" (\"a\", \"b\", \"c\") VALUES ($p0, $p1, $p2)", statements.Insert);
    }

    [Fact]
    public async Task Inserts_add_rows_with_every_column()
    {
        await using var slave = await CreateAsync(People());

        await slave.ApplyAsync([Present(Person(1, "a@x", "Ann", [1, 2], 1.50m)), Present(Person(2, "b@x"))]);

        Assert.Equal([Person(1, "a@x", "Ann", [1, 2], 1.50m), Person(2, "b@x")], await slave.RowsAsync());
    }

    [Fact]
    public async Task Updates_replace_the_whole_row()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x", "Ann", [1], 1m)), Present(Person(2, "b@x", "Bob"))]);

        await slave.ApplyAsync([Present(Person(1, "a2@x", "Anna", [9, 9], 2.25m))]);

        Assert.Equal([Person(1, "a2@x", "Anna", [9, 9], 2.25m), Person(2, "b@x", "Bob")], await slave.RowsAsync());
    }

    [Fact]
    public async Task Deleted_keys_remove_their_rows_from_the_key_alone()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x")), Present(Person(2, "b@x")), Present(Person(3, "c@x"))]);

        await slave.ApplyAsync([Gone(1), Gone(3), Gone(42)]);

        Assert.Equal([Person(2, "b@x")], await slave.RowsAsync());
    }

    [Fact]
    public async Task Two_rows_swap_a_unique_value_in_one_batch_because_keys_are_deleted_first()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x")), Present(Person(2, "b@x"))]);

        await slave.ApplyAsync([Present(Person(1, "b@x")), Present(Person(2, "a@x"))]);

        Assert.Equal([Person(1, "b@x"), Person(2, "a@x")], await slave.RowsAsync());
    }

    [Fact]
    public async Task A_primary_key_change_leaves_no_stale_row()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x", "Ann")), Present(Person(2, "b@x"))]);

        // The master logs the old and the new key of UPDATE people SET id = 7 WHERE id = 1; the row keeps its unique email.
        await slave.ApplyAsync([Gone(1), Present(Person(7, "a@x", "Ann"))]);

        Assert.Equal([Person(2, "b@x"), Person(7, "a@x", "Ann")], await slave.RowsAsync());
    }

    [Fact]
    public async Task Delete_and_reinsert_of_one_key_in_one_batch_ends_with_the_present_row()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x", "old")), Present(Person(2, "b@x", "old"))]);

        // Whatever order the two arrive in, every delete runs before any insert, so the present row is what remains.
        await slave.ApplyAsync([Gone(1), Present(Person(1, "a@x", "new")), Present(Person(2, "b@x", "new")), Gone(2)]);

        Assert.Equal([Person(1, "a@x", "new"), Person(2, "b@x", "new")], await slave.RowsAsync());
    }

    [Fact]
    public async Task Null_becomes_a_value_and_a_value_becomes_null()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x", null, null, null)), Present(Person(2, "b@x", "Bob", [0], 3.10m))]);

        await slave.ApplyAsync([Present(Person(1, "a@x", "Ann", [5], 0.01m)), Present(Person(2, "b@x", null, null, null))]);

        Assert.Equal([Person(1, "a@x", "Ann", [5], 0.01m), Person(2, "b@x", null, null, null)], await slave.RowsAsync());
        Assert.Equal(1L, await slave.ScalarAsync("SELECT count(*) FROM \"people\" WHERE \"name\" IS NULL AND \"photo\" IS NULL AND \"score\" IS NULL"));
    }

    [Fact]
    public async Task Null_and_empty_string_stay_distinct()
    {
        await using var slave = await CreateAsync(People());

        await slave.ApplyAsync([Present(Person(1, "a@x", "")), Present(Person(2, "b@x", null)), Present(Person(3, "", "x"))]);

        Assert.Equal([Person(1, "a@x", ""), Person(2, "b@x", null), Person(3, "", "x")], await slave.RowsAsync());
        Assert.Equal(1L, await slave.ScalarAsync("SELECT count(*) FROM \"people\" WHERE \"name\" = ''"));
        Assert.Equal(1L, await slave.ScalarAsync("SELECT count(*) FROM \"people\" WHERE \"name\" IS NULL"));
    }

    [Fact]
    public async Task Unicode_text_keeps_emoji_and_cjk()
    {
        await using var slave = await CreateAsync(People());

        await slave.ApplyAsync([Present(Person(1, "😀@例え.jp", "中文 日本語 한국어 👩‍👩‍👧")), Present(Person(2, "ключ@x", "e\u0301 \u200b tab\t nl\n"))]);

        Assert.Equal([Person(1, "😀@例え.jp", "中文 日本語 한국어 👩‍👩‍👧"), Person(2, "ключ@x", "e\u0301 \u200b tab\t nl\n")], await slave.RowsAsync());
        Assert.Equal(1L, await slave.ScalarAsync("SELECT count(*) FROM \"people\" WHERE \"email\" = '😀@例え.jp'"));
    }

    [Fact]
    public async Task Binary_keeps_zero_bytes_and_empty_values()
    {
        await using var slave = await CreateAsync(People());
        byte[] zeros = [0, 0, 1, 0, 255, 0];

        await slave.ApplyAsync([Present(Person(1, "a@x", photo: zeros)), Present(Person(2, "b@x", photo: [])), Present(Person(3, "c@x", photo: [0]))]);

        Assert.Equal([Person(1, "a@x", photo: zeros), Person(2, "b@x", photo: []), Person(3, "c@x", photo: [0])], await slave.RowsAsync());
        Assert.Equal(6L, await slave.ScalarAsync("SELECT length(\"photo\") FROM \"people\" WHERE \"id\" = 1"));
    }

    [Fact]
    public async Task Every_canonical_type_is_applied_and_read_back_equal()
    {
        var types = Sqlite.SqliteTypes.All;
        var table = TableDefinition.Create(new DbObjectName(null, "all_types"),
            [Col("id", new(CanonicalKind.Int64), false), .. types.Select((t, i) => Col($"c{i}_{t.Kind}", t))],
            new KeyDefinition(null, ["id"]), [], []);
        await using var slave = await CreateAsync(table);
        object?[] full = [1L, .. types.Select(Sample)];
        object?[] nulls = [2L, .. types.Select(_ => (object?)null)];

        await slave.ApplyAsync([Present(full), Present(nulls)]);
        var rows = await slave.RowsAsync();

        Assert.Equal([full, nulls], rows);
        for (var i = 1; i < full.Length; i++)
            Assert.Equal(full[i]!.GetType(), rows[0][i]!.GetType());
        Assert.Equal(DateTimeKind.Utc, rows[0].OfType<DateTime>().Last().Kind);
        Assert.Equal("1234567890.12", Convert.ToString(rows[0][5], CultureInfo.InvariantCulture));
    }

    // One value per canonical type, at the edges SQLite's text formats must carry exactly.
    private static object Sample(CanonicalType type) => type.Kind switch
    {
        CanonicalKind.Boolean => true,
        CanonicalKind.Int16 => short.MinValue,
        CanonicalKind.Int32 => int.MaxValue,
        CanonicalKind.Int64 => long.MinValue,
        CanonicalKind.Decimal => type.Precision is null ? -79228162514264337593543950335m : type.Scale is 2 ? 1234567890.12m : 9999999999m,
        CanonicalKind.Float32 => 0.1f,
        CanonicalKind.Float64 => 0.1 + 0.2,
        CanonicalKind.Char => "ab",
        CanonicalKind.VarChar => "varchar 😀",
        CanonicalKind.Text => "text\0with nul",
        CanonicalKind.Binary => new byte[] { 0, 1, 0, 2 },
        CanonicalKind.Date => new DateOnly(1582, 10, 15),
        CanonicalKind.Time => new TimeOnly(23, 59, 59, 999, 999),
        CanonicalKind.Timestamp => type.Precision is 0 ? new DateTime(1850, 6, 30, 13, 14, 15) : new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(9_999_990),
        CanonicalKind.TimestampTz => new DateTime(2150, 7, 4, 12, 30, 0, DateTimeKind.Utc).AddTicks(1_230),
        CanonicalKind.Uuid => Guid.Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF"),
        CanonicalKind.Json => "{\"a\": [1, 2.50, null]}",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no sample"),
    };

    [Fact]
    public async Task Two_batches_in_one_transaction_both_apply()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x")), Present(Person(2, "b@x"))]);

        await slave.ApplyAsync(
            [Present(Person(1, "b@x")), Present(Person(2, "a@x")), Present(Person(3, "c@x"))],
            [Gone(3), Present(Person(4, "c@x")), Present(Person(1, "z@x"))]);

        Assert.Equal([Person(1, "z@x"), Person(2, "a@x"), Person(4, "c@x")], await slave.RowsAsync());
    }

    [Fact]
    public async Task Rollback_leaves_the_table_unchanged()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x", "Ann")), Present(Person(2, "b@x", "Bob"))]);
        var before = await slave.RowsAsync();

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await slave.ApplyAsync(transaction, [Gone(1), Present(Person(2, "a@x", "changed")), Present(Person(3, "c@x"))]);
            Assert.Equal([Person(2, "a@x", "changed"), Person(3, "c@x")], await slave.RowsAsync());
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal(before, await slave.RowsAsync());
    }

    [Fact]
    public async Task The_same_batch_applied_twice_gives_the_same_table()
    {
        await using var slave = await CreateAsync(People());
        await slave.ApplyAsync([Present(Person(1, "a@x")), Present(Person(2, "b@x")), Present(Person(3, "c@x"))]);
        IReadOnlyList<ChangeRow> batch = [Present(Person(1, "b@x", "one")), Present(Person(2, "a@x", "two")), Gone(3), Present(Person(4, "d@x"))];

        await slave.ApplyAsync(batch);
        var once = await slave.RowsAsync();
        await slave.ApplyAsync(batch);

        Assert.Equal([Person(1, "b@x", "one"), Person(2, "a@x", "two"), Person(4, "d@x")], once);
        Assert.Equal(once, await slave.RowsAsync());
    }

    [Fact]
    public async Task Composite_key_in_an_order_different_from_the_columns_applies_and_deletes_by_the_right_row()
    {
        // Key (region, day, seq) over columns declared seq, day, note, region.
        var table = TableDefinition.Create(new DbObjectName(null, "events"),
            [Col("seq", new(CanonicalKind.Int32), false), Col("day", new(CanonicalKind.Date), false), Col("note", new(CanonicalKind.Text)),
             Col("region", new(CanonicalKind.VarChar, Length: 10), false)],
            new KeyDefinition(null, ["region", "day", "seq"]), [], []);
        await using var slave = await CreateAsync(table);
        var d1 = new DateOnly(2024, 1, 1);
        var d2 = new DateOnly(2024, 1, 2);
        await slave.ApplyAsync([Present([1, d1, "a", "eu"]), Present([1, d1, "b", "us"]), Present([1, d2, "c", "eu"]), Present([2, d1, "d", "eu"])]);

        await slave.ApplyAsync([new ChangeRow(false, [1, d1, null, "eu"]), Present([2, d1, "d2", "eu"])]);

        Assert.Equal([[2, d1, "d2", "eu"], [1, d2, "c", "eu"], [1, d1, "b", "us"]], await slave.RowsAsync());
    }

    [Fact]
    public async Task A_missing_slave_table_is_reported_naming_the_table_and_what_to_do()
    {
        await using var slave = await CreateAsync(People());
        await ExecuteAsync(slave.Connection, "DROP TABLE \"people\"");
        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);

        var e = await Assert.ThrowsAsync<ReplException>(() => Apply.OpenAsync(slave.Connection, transaction, slave.Table, slave.Target, Ct));

        Assert.Contains("table people", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such table", e.Message, StringComparison.Ordinal);
        Assert.Contains("repl init", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slave_row_the_master_does_not_have_gives_way_to_the_master_row_taking_its_unique_value()
    {
        await using var slave = await CreateAsync(People());
        await ExecuteAsync(slave.Connection, "INSERT INTO \"people\" (\"id\", \"email\") VALUES (99, 'a@x')");

        await slave.ApplyAsync([Present(Person(1, "a@x"))]);

        Assert.Equal([Person(1, "a@x")], await slave.RowsAsync());
    }

    [Fact]
    public async Task A_constraint_added_to_the_slave_table_by_hand_names_the_table_the_row_and_the_constraint()
    {
        await using var slave = await CreateAsync(People());
        await ExecuteAsync(slave.Connection, "DROP TABLE \"people\"");
        await ExecuteAsync(slave.Connection, "CREATE TABLE \"people\" (\"id\" INTEGER PRIMARY KEY, \"email\" TEXT NOT NULL UNIQUE, " +
            "\"name\" TEXT, \"photo\" BLOB, \"score\" TEXT, CONSTRAINT \"no_bad_mail\" CHECK (\"email\" <> 'bad@x'))");

        var e = await Assert.ThrowsAsync<ReplException>(() => slave.ApplyAsync([Present(Person(1, "ok@x")), Present(Person(2, "bad@x"))]));

        Assert.Contains("The row (id)=(2) of table people", e.Message, StringComparison.Ordinal);
        Assert.Contains("CHECK constraint failed: no_bad_mail", e.Message, StringComparison.Ordinal);
        Assert.Contains("resync", e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
    }

    [Fact]
    public async Task Applying_100000_new_then_100000_changed_rows_in_batches_leaves_the_latest_version_of_each()
    {
        const int rows = 100_000;
        const int batchSize = 1_000;
        await using var slave = await CreateAsync(People());
        static IEnumerable<IReadOnlyList<ChangeRow>> Batches(int version) =>
            Enumerable.Range(0, rows).Select(i => Present(Person(i, $"user{i}@example.com", $"name {i} v{version}", [(byte)i, 0, (byte)version], i / 100m)))
                .Chunk(batchSize);

        IReadOnlyList<ChangeRow>[] first = [.. Batches(1)], second = [.. Batches(2)];

        var clock = Stopwatch.StartNew();
        await slave.ApplyAsync(first);
        var inserts = clock.Elapsed;
        clock.Restart();
        await slave.ApplyAsync(second);
        var replaces = clock.Elapsed;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQLite apply: {rows:N0} new rows in {inserts.TotalSeconds:F2} s ({rows / inserts.TotalSeconds:N0} rows/s); " +
            $"{rows:N0} changed rows (delete + insert) in {replaces.TotalSeconds:F2} s ({rows / replaces.TotalSeconds:N0} rows/s), batches of {batchSize:N0}."));
        Assert.Equal((long)rows, await slave.ScalarAsync("SELECT count(*) FROM \"people\""));
        Assert.Equal((long)rows * (rows - 1) / 2, await slave.ScalarAsync("SELECT sum(\"id\") FROM \"people\""));
        Assert.Equal(0L, await slave.ScalarAsync("SELECT count(*) FROM \"people\" WHERE \"name\" NOT LIKE '% v2'"));
        var all = await slave.RowsAsync();
        Assert.Equal(Person(54_321, "user54321@example.com", "name 54321 v2", [unchecked((byte)54_321), 0, 2], 543.21m), all[54_321]);
    }
}
