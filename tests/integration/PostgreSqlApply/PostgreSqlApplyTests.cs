using System.Diagnostics;
using Npgsql;
using Repl.Dialects;
using Repl.IntegrationTests.PostgreSql;
using Repl.Schema;
using static Repl.IntegrationTests.PostgreSqlApply.ApplyHarness;

namespace Repl.IntegrationTests.PostgreSqlApply;

public sealed class PostgreSqlApplyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CanonicalType Int = new(CanonicalKind.Int32);

    // id, a unique handle and a nullable note: enough for swaps, key changes and NULLs.
    private static readonly TableDefinition Accounts = TableDefinition.Create(
        new DbObjectName("public", "Accounts"),
        [Column("id", Int, nullable: false), Column("handle", new(CanonicalKind.VarChar, Length: 20), nullable: false),
         Column("note", new(CanonicalKind.Text))],
        new KeyDefinition("accounts_pkey", ["id"]),
        [new KeyDefinition("accounts_handle_key", ["handle"])],
        []);

    [Fact]
    public async Task New_keys_are_inserted()
    {
        await using var slave = await CreateAsync(Accounts);

        await slave.ApplyAsync([Present(1, "a", "first"), Present(2, "b", null)]);

        slave.AssertRows([[1, "a", "first"], [2, "b", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_present_row_for_an_existing_key_replaces_every_column()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", "first"), Present(2, "b", "second")]);

        await slave.ApplyAsync([Present(1, "z", "changed")]);

        slave.AssertRows([[1, "z", "changed"], [2, "b", "second"]], await slave.ReadAsync());
    }

    [Fact]
    public async Task An_absent_key_carrying_only_its_key_deletes_the_row()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", "first"), Present(2, "b", "second")]);

        await slave.ApplyAsync([slave.Gone(1), slave.Gone(99)]);

        slave.AssertRows([[2, "b", "second"]], await slave.ReadAsync());
    }

    [Fact]
    public async Task Two_rows_swapping_their_unique_values_in_one_batch_end_swapped()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", null), Present(2, "b", null)]);

        await slave.ApplyAsync([Present(1, "b", null), Present(2, "a", null)]);

        slave.AssertRows([[1, "b", null], [2, "a", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_batch_into_a_large_table_the_planner_never_analyzed_finds_each_key_through_the_index_not_a_table_scan()
    {
        await using var slave = await CreateAsync(Accounts);
        // 200,000 rows the planner has no statistics for: left to its estimates it hashed the whole table for every batch.
        await slave.Connection.ExecuteAsync("""INSERT INTO "Accounts" SELECT g, 'h' || g, NULL FROM generate_series(1, 200000) g""");
        var batch = Enumerable.Range(1, 5_000).Select(i => Present(i * 40, "h" + (i * 40), "changed")).ToList();

        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        await slave.ApplyAsync(transaction, batch);
        // The transaction's own table access counts, before anything else touches the table.
        await using var scans = new NpgsqlCommand(
            """SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relid = '"Accounts"'::regclass""", slave.Connection, transaction);
        await using var reader = await scans.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        var (sequential, indexed) = (reader.GetInt64(0), reader.GetInt64(1));
        await reader.DisposeAsync();
        await transaction.CommitAsync(Ct);

        Assert.Equal(0, sequential);
        Assert.True(indexed >= 5_000, $"expected one index scan per staged key, saw {indexed}");
        var rows = await slave.ReadAsync();
        Assert.Equal(200_000, rows.Count);
        Assert.Equal(5_000, rows.Count(r => (string?)r[2] == "changed"));
    }

    [Fact]
    public async Task A_unique_swap_split_over_two_batches_of_one_transaction_commits()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", null), Present(2, "b", null)]);

        // Between the batches both rows hold 'b': only the slave's deferred unique constraint lets that pass.
        await slave.ApplyAsync([Present(1, "b", null)], [Present(2, "a", null)]);

        slave.AssertRows([[1, "b", null], [2, "a", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_primary_key_change_leaves_no_stale_row()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", "moving"), Present(2, "b", null)]);

        // The master's UPDATE ... SET id = 7 logs the old key (now gone) and the new one; the handle moves with the row.
        await slave.ApplyAsync([slave.Gone(1), Present(7, "a", "moving")]);

        slave.AssertRows([[2, "b", null], [7, "a", "moving"]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_key_deleted_and_inserted_again_in_one_batch_holds_the_new_row()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(5, "old", "before")]);

        await slave.ApplyAsync([slave.Gone(5), Present(5, "new", "after")]);
        var bothInOneBatch = await slave.ReadAsync();
        await slave.ApplyAsync([Present(5, "newer", null)]);

        slave.AssertRows([[5, "new", "after"]], bothInOneBatch);
        slave.AssertRows([[5, "newer", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task Null_becomes_a_value_and_a_value_becomes_null_and_empty_string_stays_empty()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", null), Present(2, "b", "text"), Present(3, "c", null)]);

        await slave.ApplyAsync([Present(1, "a", "now set"), Present(2, "b", null), Present(3, "c", "")]);

        slave.AssertRows([[1, "a", "now set"], [2, "b", null], [3, "c", ""]], await slave.ReadAsync());
    }

    [Fact]
    public async Task Unicode_text_and_binary_with_zero_bytes_arrive_unchanged()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Blobs"),
            [Column("id", Int, nullable: false), Column("label", new(CanonicalKind.VarChar, Length: 10)),
             Column("body", new(CanonicalKind.Text)), Column("data", new(CanonicalKind.Binary))],
            new KeyDefinition("blobs_pkey", ["id"]), [], []);
        await using var slave = await CreateAsync(table);
        object?[][] rows =
        [
            [1, "🙂🙃😀漢字ñé", "emoji 👩‍👩‍👧 CJK 中文 日本語 한국어 RTL עברית tab\t newline\n quote ' \" backslash \\", new byte[] { 0, 0, 1, 0, 255, 0 }],
            [2, "", "", Array.Empty<byte>()],
            [3, "𝄞", "\u00a0\u200b", new byte[] { 0 }],
        ];

        await slave.ApplyAsync(rows.Select(r => Present(r)).ToList());

        slave.AssertRows(rows, await slave.ReadAsync());
    }

    [Fact]
    public async Task Every_canonical_type_is_applied_and_read_back_equal()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Everything"),
            [
                Column("id", Int, nullable: false), Column("b", new(CanonicalKind.Boolean)), Column("i2", new(CanonicalKind.Int16)),
                Column("i4", Int), Column("i8", new(CanonicalKind.Int64)), Column("num", new(CanonicalKind.Decimal)),
                Column("num_s", new(CanonicalKind.Decimal, Precision: 38, Scale: 10)), Column("f4", new(CanonicalKind.Float32)),
                Column("f8", new(CanonicalKind.Float64)), Column("ch", new(CanonicalKind.Char, Length: 5)),
                Column("vc", new(CanonicalKind.VarChar, Length: 300)), Column("tx", new(CanonicalKind.Text)),
                Column("bin", new(CanonicalKind.Binary, Length: 16)), Column("blob", new(CanonicalKind.Binary)),
                Column("d", new(CanonicalKind.Date)), Column("t", new(CanonicalKind.Time, Precision: 6)),
                Column("t0", new(CanonicalKind.Time, Precision: 0)), Column("ts", new(CanonicalKind.Timestamp, Precision: 6)),
                Column("ts3", new(CanonicalKind.Timestamp, Precision: 3)), Column("tstz", new(CanonicalKind.TimestampTz, Precision: 6)),
                Column("u", new(CanonicalKind.Uuid)), Column("j", new(CanonicalKind.Json)),
            ],
            new KeyDefinition("everything_pkey", ["id"]), [], []);
        await using var slave = await CreateAsync(table);
        object?[][] rows =
        [
            [1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
            [2, false, short.MinValue, int.MinValue, long.MinValue, decimal.MinValue, -0.0000000001m, float.MinValue, double.MinValue,
                "", "", "", Array.Empty<byte>(), Array.Empty<byte>(), new DateOnly(1066, 10, 14), TimeOnly.MinValue, TimeOnly.MinValue,
                new DateTime(1850, 3, 1, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(10), new DateTime(1850, 3, 1, 0, 0, 0, DateTimeKind.Unspecified),
                new DateTime(1899, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), Guid.Empty, "{}"],
            [3, true, short.MaxValue, int.MaxValue, long.MaxValue, decimal.MaxValue, 99999999999999999999999999.99m, float.MaxValue,
                double.MaxValue, " a", string.Concat(Enumerable.Repeat("🙂", 300)), "emoji 🙂 CJK 漢字", new byte[] { 0, 0xFF, 0, 1, 0 },
                Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray(), new DateOnly(9999, 12, 30), new TimeOnly(23, 59, 59, 999, 999),
                new TimeOnly(23, 59, 59), new DateTime(2199, 12, 31, 23, 59, 59, DateTimeKind.Unspecified).AddTicks(9_999_990),
                new DateTime(2199, 12, 31, 23, 59, 59, 999, DateTimeKind.Unspecified), new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10),
                Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "{ \"b\" : 1,\n  \"a\": [1, 2.50] }"],
            [4, null, (short)0, 0, 0L, 0.0000000000000000000000000001m, 1234567890123456789.0123456789m, float.NaN, 0.30000000000000004,
                "abcde", "x", "0", new byte[] { 0 }, null, new DateOnly(2024, 2, 29), new TimeOnly(12, 0, 0, 0, 1), new TimeOnly(0, 0, 1),
                new DateTime(1, 1, 2, 0, 0, 0, DateTimeKind.Unspecified), new DateTime(2024, 2, 29, 12, 30, 0, 123, DateTimeKind.Unspecified),
                new DateTime(9999, 12, 30, 0, 0, 0, DateTimeKind.Utc), Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), "null"],
            [5, null, (short)-1, -1, -1L, -79228162514264.337593543950335m, 0m, float.PositiveInfinity, double.NegativeInfinity,
                "é🙂", "'", " ", null, null, null, null, null, null, null, null, null, "[]"],
            [6, null, null, null, null, null, null, float.Epsilon, double.Epsilon,
                null, null, null, null, null, null, null, null, null, null, null, null, "\"text\""],
        ];

        await slave.ApplyAsync(rows.Select(r => Present(r)).ToList());
        slave.AssertRows(rows, await slave.ReadAsync());

        // Applied again as updates of existing keys, in reverse order: the same values come back.
        await slave.ApplyAsync(rows.Reverse().Select(r => Present(r)).ToList());
        slave.AssertRows(rows, await slave.ReadAsync());
    }

    [Fact]
    public async Task Two_batches_in_one_transaction_see_the_stage_emptied_between_them()
    {
        await using var slave = await CreateAsync(Accounts);
        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        await using var applier = await Apply.OpenAsync(slave.Connection, transaction, slave.Table, slave.Target, Ct);

        await applier.ApplyAsync([Present(1, "a", "first"), Present(2, "b", null)], Ct);
        var stagedAfterFirst = await slave.StagedRowsAsync();
        // Had the first batch stayed staged, this call would insert row 1 again right after deleting it.
        await applier.ApplyAsync([slave.Gone(1)], Ct);
        var stagedAfterSecond = await slave.StagedRowsAsync();
        await transaction.CommitAsync(Ct);

        Assert.Equal(0, stagedAfterFirst);
        Assert.Equal(0, stagedAfterSecond);
        slave.AssertRows([[2, "b", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_the_table_unchanged_and_the_next_one_applies()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", "kept")]);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await slave.ApplyAsync(transaction, [Present(1, "x", "lost"), Present(2, "b", "lost"), slave.Gone(1)]);
            await transaction.RollbackAsync(Ct);
        }
        var afterRollback = await slave.ReadAsync();
        await slave.ApplyAsync([Present(3, "c", null)]);

        slave.AssertRows([[1, "a", "kept"]], afterRollback);
        slave.AssertRows([[1, "a", "kept"], [3, "c", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_stage_created_in_a_rolled_back_transaction_is_created_again()
    {
        await using var slave = await CreateAsync(Accounts);

        // The session's first applier creates the stage inside this transaction; the rollback takes it away again.
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await slave.ApplyAsync(transaction, [Present(1, "a", null)]);
            await transaction.RollbackAsync(Ct);
        }
        await slave.ApplyAsync([Present(2, "b", null)]);

        slave.AssertRows([[2, "b", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task Rows_staged_but_never_applied_do_not_survive_the_commit()
    {
        await using var slave = await CreateAsync(Accounts);
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await using var applier = await Apply.OpenAsync(slave.Connection, transaction, slave.Table, slave.Target, Ct);
            // A batch whose COPY went through but whose routine call never ran, committed by a careless caller.
            await slave.Connection.ExecuteAsync("""INSERT INTO pg_temp."repl_stage_accounts" VALUES (9, 'stale', NULL, true)""");
            await transaction.CommitAsync(Ct);
        }

        await slave.ApplyAsync([Present(1, "a", null)]);

        slave.AssertRows([[1, "a", null]], await slave.ReadAsync());
    }

    [Fact]
    public async Task Applying_the_same_batch_twice_gives_the_same_result()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", null), Present(2, "b", null), Present(3, "c", null)]);
        IReadOnlyList<ChangeRow> batch = [Present(1, "b", "swapped"), Present(2, "a", "swapped"), slave.Gone(3), Present(4, "d", "new")];

        await slave.ApplyAsync(batch);
        var once = await slave.ReadAsync();
        await slave.ApplyAsync(batch);
        var twice = await slave.ReadAsync();
        await slave.ApplyAsync(batch, batch);

        object?[][] expected = [[1, "b", "swapped"], [2, "a", "swapped"], [4, "d", "new"]];
        slave.AssertRows(expected, once);
        slave.AssertRows(expected, twice);
        slave.AssertRows(expected, await slave.ReadAsync());
    }

    [Fact]
    public async Task A_composite_key_in_another_order_than_the_columns_identifies_rows()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "OrderLines"),
            [Column("line", Int, nullable: false), Column("qty", Int), Column("order_id", new(CanonicalKind.Int64), nullable: false)],
            new KeyDefinition("orderlines_pkey", ["order_id", "line"]), [], []);
        await using var slave = await CreateAsync(table);
        await slave.ApplyAsync([Present(1, 10, 100L), Present(2, 20, 100L), Present(1, 30, 200L)]);

        await slave.ApplyAsync([Present(2, 21, 100L), slave.Gone(200L, 1), Present(1, 40, 300L), slave.Gone(1L, 100)]);

        // Rows read in key order (order_id, line); Gone(1, 100) names order 1 line 100, which never existed.
        slave.AssertRows([[1, 10, 100L], [2, 21, 100L], [1, 40, 300L]], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_stage_left_by_an_older_shape_of_the_table_is_replaced()
    {
        await using var slave = await CreateAsync(Accounts);
        await slave.ApplyAsync([Present(1, "a", null)]);
        // repl init adds a column appended on the master and reinstalls the routine while this session lives on.
        var wider = TableDefinition.Create(Accounts.Name, [.. Accounts.Columns, Column("score", Int)], Accounts.Key,
            Accounts.UniqueConstraints, []);
        await slave.Connection.ExecuteAsync(Pg.Ddl.AddColumn(slave.Target, wider.Columns[^1]));
        foreach (var statement in Apply.InstallRoutine(wider, slave.Target))
            await slave.Connection.ExecuteAsync(statement);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await using var applier = await Apply.OpenAsync(slave.Connection, transaction, wider, slave.Target, Ct);
            await applier.ApplyAsync([Present(1, "a", null, 7), Present(2, "b", "new", 8)], Ct);
            await transaction.CommitAsync(Ct);
        }

        await using var command = new NpgsqlCommand("""SELECT string_agg(id || ':' || score, ',' ORDER BY id) FROM "Accounts" """, slave.Connection);
        Assert.Equal("1:7,2:8", await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_missing_routine_is_reported_with_the_table_and_what_to_do()
    {
        await using var slave = await CreateAsync(Accounts);
        foreach (var statement in Apply.UninstallRoutine(slave.Table, slave.Target))
            await slave.Connection.ExecuteAsync(statement);

        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        var error = await Assert.ThrowsAsync<ReplException>(() => slave.ApplyAsync(transaction, [Present(1, "a", null)]));

        Assert.Contains("\"repl\".\"apply_accounts\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Accounts", error.Message, StringComparison.Ordinal);
        Assert.Contains("repl init", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_of_fifty_thousand_rows_costs_one_copy_and_one_routine_call()
    {
        await using var slave = await CreateAsync(Accounts);
        var batch = Enumerable.Range(1, 50_000).Select(i => Present(i, "h" + i, i % 3 == 0 ? null : "n" + i)).ToList();
        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        await using var applier = await Apply.OpenAsync(slave.Connection, transaction, slave.Table, slave.Target, Ct);

        var operations = await NpgsqlOperations.CountAsync(() => applier.ApplyAsync(batch, Ct));
        await transaction.CommitAsync(Ct);

        Assert.Collection(operations,
            copy => Assert.StartsWith("COPY pg_temp.\"repl_stage_accounts\"", copy, StringComparison.Ordinal),
            call => Assert.Equal("SELECT \"repl\".\"apply_accounts\"()", call));
        await using var count = new NpgsqlCommand("""SELECT count(*), count(note) FROM "Accounts" """, slave.Connection);
        await using var reader = await count.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal((50_000L, 33_334L), (reader.GetInt64(0), reader.GetInt64(1)));
    }
}

/// <summary>
/// Counts the operations Npgsql performs (commands and COPY operations, each traced as one activity) while an action runs.
/// Only activities of this call's own trace are counted, so tests running in parallel do not disturb the count.
/// </summary>
internal static class NpgsqlOperations
{
    private const string SourceName = "Repl.IntegrationTests.RoundTrips";
    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Runs <paramref name="action"/> and returns the statement text (or operation name) of every Npgsql operation it ran.</summary>
    public static async Task<List<string>> CountAsync(Func<Task> action)
    {
        var seen = new List<string>();
        ActivityTraceId trace = default;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" || s.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql" && a.TraceId == trace)
                    lock (seen)
                        seen.Add(a.GetTagItem("db.query.text") as string ?? a.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(listener);
        using (var root = Source.StartActivity("apply") ?? throw new InvalidOperationException("no activity listener"))
        {
            trace = root.TraceId;
            await action();
        }
        lock (seen)
            return [.. seen];
    }
}
