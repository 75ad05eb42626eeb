using System.Runtime.CompilerServices;
using MySqlConnector;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using static Repl.IntegrationTests.MySqlApply.MariaDbSlave;

namespace Repl.IntegrationTests.MySqlApply;

public sealed class MySqlApplyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ColumnDefinition Column(string name, CanonicalType type, bool nullable = true) =>
        new(name, type, nullable, IsIdentity: false, NativeType: type.ToString());

    /// <summary>users(id PK, email UNIQUE NOT NULL, name, note): the shape of most traps.</summary>
    private static readonly TableDefinition Users = TableDefinition.Create(new DbObjectName(null, "Users"),
        [
            Column("id", new(CanonicalKind.Int32), nullable: false),
            Column("email", new(CanonicalKind.VarChar, Length: 100), nullable: false),
            Column("name", new(CanonicalKind.VarChar, Length: 50)),
            Column("note", new(CanonicalKind.Text)),
        ],
        new KeyDefinition("PRIMARY", ["id"]),
        [new KeyDefinition("uq_email", ["email"])],
        [new IndexDefinition("ix_name", ["name"], IsUnique: false)]);

    private static async Task<MariaDbSlave> UsersAsync(IReadOnlyList<object?[]>? rows = null, [CallerMemberName] string test = "")
    {
        var slave = await CreateAsync(Users, test: test);
        if (rows is not null)
            await slave.ApplyAsync(rows.Select(r => Present(r)).ToList());
        return slave;
    }

    [Fact]
    public async Task Inserts_add_the_rows()
    {
        await using var slave = await UsersAsync();

        await slave.ApplyAsync([Present(1, "a@x", "Ann", "first"), Present(2, "b@x", null, null)]);

        await slave.AssertRowsAsync([1, "a@x", "Ann", "first"], [2, "b@x", null, null]);
    }

    [Fact]
    public async Task Updates_replace_the_whole_row()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "first"], [2, "b@x", "Bob", "second"]]);

        await slave.ApplyAsync([Present(1, "a2@x", "Anne", "changed")]);

        await slave.AssertRowsAsync([1, "a2@x", "Anne", "changed"], [2, "b@x", "Bob", "second"]);
    }

    [Fact]
    public async Task Deletes_carry_only_the_key_and_remove_the_row()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "first"], [2, "b@x", "Bob", "second"]]);

        await slave.ApplyAsync([slave.Gone(1)]);

        await slave.AssertRowsAsync([2, "b@x", "Bob", "second"]);
    }

    [Fact]
    public async Task A_swap_of_unique_values_between_two_rows_in_one_batch_lands_on_the_right_rows()
    {
        // ON DUPLICATE KEY UPDATE would match row 2 through its email while inserting row 1, and overwrite the wrong row.
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"]]);

        await slave.ApplyAsync([Present(1, "b@x", "Ann", "one"), Present(2, "a@x", "Bob", "two")]);

        await slave.AssertRowsAsync([1, "b@x", "Ann", "one"], [2, "a@x", "Bob", "two"]);
    }

    [Fact]
    public async Task A_swap_of_unique_values_split_over_two_batches_of_one_transaction_applies()
    {
        // MariaDB checks unique keys per statement: row 1 taking b@x while row 2 still holds it must not fail the cycle.
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"], [3, "c@x", "Cy", "three"]]);

        await slave.ApplyAsync([Present(1, "b@x", "Ann", "one")], [Present(2, "c@x", "Bob", "two")], [Present(3, "a@x", "Cy", "three")]);

        await slave.AssertRowsAsync([1, "b@x", "Ann", "one"], [2, "c@x", "Bob", "two"], [3, "a@x", "Cy", "three"]);
    }

    [Fact]
    public async Task A_primary_key_change_split_over_two_batches_with_the_new_key_first_applies()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"]]);

        await slave.ApplyAsync([Present(10, "a@x", "Ann", "one")], [slave.Gone(1)]);

        await slave.AssertRowsAsync([2, "b@x", "Bob", "two"], [10, "a@x", "Ann", "one"]);
    }

    [Fact]
    public async Task A_primary_key_change_leaves_no_stale_row()
    {
        // The master logs the old and the new key of UPDATE users SET id = 10 WHERE id = 1.
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"]]);

        await slave.ApplyAsync([slave.Gone(1), Present(10, "a@x", "Ann", "one")]);

        await slave.AssertRowsAsync([2, "b@x", "Bob", "two"], [10, "a@x", "Ann", "one"]);
    }

    [Fact]
    public async Task A_key_deleted_and_inserted_again_in_one_batch_holds_the_new_row()
    {
        // On the master: DELETE id 1; INSERT id 1 with new values; INSERT id 3 with id 1's old email. The cycle reads
        // each key once, with its current row.
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"]]);

        await slave.ApplyAsync([Present(1, "new@x", "Anew", null), Present(3, "a@x", "Carl", "three")]);

        await slave.AssertRowsAsync([1, "new@x", "Anew", null], [2, "b@x", "Bob", "two"], [3, "a@x", "Carl", "three"]);
    }

    [Fact]
    public async Task Null_becomes_a_value_and_a_value_becomes_null()
    {
        await using var slave = await UsersAsync([[1, "a@x", null, "note"]]);

        await slave.ApplyAsync([Present(1, "a@x", "Ann", null)]);
        await slave.AssertRowsAsync([1, "a@x", "Ann", null]);

        await slave.ApplyAsync([Present(1, "a@x", null, "back")]);
        await slave.AssertRowsAsync([1, "a@x", null, "back"]);
    }

    [Fact]
    public async Task Null_and_empty_string_stay_distinct()
    {
        await using var slave = await UsersAsync();

        await slave.ApplyAsync([Present(1, "", "", null), Present(2, "b@x", null, ""), Present(3, "\\N", "N", "\\N")]);

        await slave.AssertRowsAsync([1, "", "", null], [2, "b@x", null, ""], [3, "\\N", "N", "\\N"]);
        Assert.Equal(1L, await slave.ScalarAsync("SELECT COUNT(*) FROM Users WHERE name IS NULL"));
        Assert.Equal(1L, await slave.ScalarAsync("SELECT COUNT(*) FROM Users WHERE note IS NULL"));
    }

    [Fact]
    public async Task Unicode_values_and_keys_survive_and_keys_that_differ_only_by_accent_case_or_trailing_space_stay_apart()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Words"),
            [Column("word", new(CanonicalKind.VarChar, Length: 40), nullable: false), Column("meaning", new(CanonicalKind.Text))],
            new KeyDefinition("PRIMARY", ["word"]), [], []);
        await using var slave = await CreateAsync(table);
        object?[][] words =
        [
            ["Ärger", "trouble 🙂"], ["arger", "no accent"], ["ärger", "lower case"], ["a", "plain"], ["a ", "trailing space"],
            ["表", "CJK 表 \t tab \n newline \\ backslash \0 nul"], ["🙂", "emoji key"], ["naïve café", "Ελληνικά, русский, עברית"],
        ];
        await slave.ApplyAsync(words.Select(w => Present(w)).ToList());

        await slave.ApplyAsync([slave.Gone("a"), Present("Ärger", "changed 表"), slave.Gone("🙂")]);

        await slave.AssertRowsAsync(
            ["Ärger", "changed 表"], ["arger", "no accent"], ["ärger", "lower case"], ["a ", "trailing space"],
            ["表", "CJK 表 \t tab \n newline \\ backslash \0 nul"], ["naïve café", "Ελληνικά, русский, עברית"]);
    }

    [Fact]
    public async Task Binary_values_and_keys_with_zero_bytes_survive()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Blobs"),
            [Column("k", new(CanonicalKind.Binary, Length: 16), nullable: false), Column("data", new(CanonicalKind.Binary))],
            new KeyDefinition("PRIMARY", ["k"]), [], []);
        await using var slave = await CreateAsync(table);
        var allBytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        await slave.ApplyAsync([
            Present(new byte[] { 0 }, new byte[] { 0, 0, 0 }),
            Present(new byte[] { 0, 0 }, allBytes),
            Present(new byte[] { 0, 0, 1 }, Array.Empty<byte>()),
            Present(Array.Empty<byte>(), new byte[] { 9, 0, 9 }),
        ]);

        await slave.ApplyAsync([slave.Gone(new byte[] { 0, 0 }), Present(new byte[] { 0 }, new byte[] { 0, 10, 13, 9, 92, 0 })]);

        await slave.AssertRowsAsync(
            [new byte[] { 0 }, new byte[] { 0, 10, 13, 9, 92, 0 }],
            [new byte[] { 0, 0, 1 }, Array.Empty<byte>()],
            [Array.Empty<byte>(), new byte[] { 9, 0, 9 }]);
    }

    [Fact]
    public async Task Every_canonical_type_is_applied_and_reads_back_equal()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Hard"), HardValues.Columns, new KeyDefinition(null, ["id"]), [], []);
        await using var slave = await CreateAsync(table);

        await slave.ApplyAsync(HardValues.Rows.Select(r => Present(r)).ToList());
        await slave.AssertRowsAsync(HardValues.Rows);

        // Updates that move every row onto another row's values, so each value is also written over another.
        var shifted = HardValues.Rows.Select((r, i) => (object?[])[r[0], .. HardValues.Rows[(i + 1) % HardValues.Rows.Length][1..]]).ToArray();
        await slave.ApplyAsync(shifted.Select(r => Present(r)).ToList());
        await slave.AssertRowsAsync(shifted);
    }

    [Fact]
    public async Task A_composite_key_of_mixed_types_in_an_order_unlike_the_columns_is_matched_on_every_part()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Mixed"),
            [
                Column("k_str", new(CanonicalKind.VarChar, Length: 20), nullable: false),
                Column("v", new(CanonicalKind.Text)),
                Column("k_at", new(CanonicalKind.Timestamp, Precision: 6), nullable: false),
                Column("k_bin", new(CanonicalKind.Binary, Length: 8), nullable: false),
                Column("k_uuid", new(CanonicalKind.Uuid), nullable: false),
                Column("k_dec", new(CanonicalKind.Decimal, Precision: 12, Scale: 3), nullable: false),
            ],
            new KeyDefinition("PRIMARY", ["k_uuid", "k_bin", "k_dec", "k_at", "k_str"]), [], []);
        await using var slave = await CreateAsync(table);
        var u = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        var at = new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(1_234_560);
        object?[] Row(string s, string? v, DateTime a, byte[] b, decimal d) => [s, v, a, b, u, d];
        await slave.ApplyAsync([
            Present(Row("k", "base", at, [0], 1.5m)),
            Present(Row("K", "other string", at, [0], 1.5m)),
            Present(Row("k", "other time", at.AddTicks(10), [0], 1.5m)),
            Present(Row("k", "other bytes", at, [0, 0], 1.5m)),
            Present(Row("k", "other decimal", at, [0], 1.501m)),
        ]);

        await slave.ApplyAsync([
            slave.Gone(u, new byte[] { 0 }, 1.5m, at, "k"),
            Present(Row("k", "updated", at.AddTicks(10), [0], 1.5m)),
        ]);

        await slave.AssertRowsAsync(
            Row("K", "other string", at, [0], 1.5m),
            Row("k", "updated", at.AddTicks(10), [0], 1.5m),
            Row("k", "other bytes", at, [0, 0], 1.5m),
            Row("k", "other decimal", at, [0], 1.501m));
    }

    [Fact]
    public async Task A_table_at_the_row_size_limit_gets_a_stage_that_fits_beside_its_flag()
    {
        // 65,534 bytes by MySqlDdl's count: the table keeps both varchars, the stage (one flag more) widens c2 to longtext.
        var table = TableDefinition.Create(new DbObjectName(null, "Wide"),
            [
                Column("id", new(CanonicalKind.Int32), nullable: false), Column("flag", new(CanonicalKind.Boolean)),
                Column("c1", new(CanonicalKind.VarChar, Length: 8000)), Column("c2", new(CanonicalKind.VarChar, Length: 8381)),
            ],
            new KeyDefinition("PRIMARY", ["id"]), [], []);
        await using var slave = await CreateAsync(table);
        string Full(string character, int length) => string.Concat(Enumerable.Repeat(character, length));

        await slave.ApplyAsync([Present(1, true, Full("🙂", 8000), Full("表", 8381)), Present(2, null, null, null)]);
        await slave.ApplyAsync([Present(2, false, Full("表", 8000), Full("🙂", 8381))]);

        Assert.Contains("`c2` varchar(8381)", Dialect.Ddl.CreateTable(table, table.Name)[0], StringComparison.Ordinal);
        Assert.Contains("`c2` longtext NULL", Apply.StageStatements(table, table.Name)[0], StringComparison.Ordinal);
        await slave.AssertRowsAsync([1, true, Full("🙂", 8000), Full("表", 8381)], [2, false, Full("表", 8000), Full("🙂", 8381)]);
    }

    [Fact]
    public async Task Two_batches_in_one_transaction_apply_in_order()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", null]]);

        await slave.ApplyAsync(
            [Present(2, "b@x", "Bob", null), slave.Gone(1)],
            [Present(1, "a@x", "Ann again", null), Present(2, "b2@x", "Bob", "moved")]);

        await slave.AssertRowsAsync([1, "a@x", "Ann again", null], [2, "b2@x", "Bob", "moved"]);
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_the_table_unchanged_and_the_session_ready_for_the_next_cycle()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"]]);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await slave.ApplyInAsync(transaction, [slave.Gone(1), Present(2, "a@x", "Bob", "took a's email"), Present(3, "c@x", null, null)]);
            await transaction.RollbackAsync(Ct);
        }
        await slave.AssertRowsAsync([1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"]);

        await slave.ApplyAsync([Present(3, "c@x", "Cy", null)]);
        await slave.AssertRowsAsync([1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"], [3, "c@x", "Cy", null]);
    }

    [Fact]
    public async Task Applying_the_same_batch_twice_gives_the_same_table()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", "one"], [2, "b@x", "Bob", "two"], [3, "c@x", null, null]]);
        IReadOnlyList<ChangeRow> batch = [Present(1, "b@x", "Ann", "swapped"), Present(2, "a@x", "Bob", "swapped"), slave.Gone(3), Present(4, "d@x", "Di", null)];

        await slave.ApplyAsync(batch);
        var once = Normalize(await slave.RowsAsync());
        await slave.ApplyAsync(batch, batch);

        Assert.Equal(once, Normalize(await slave.RowsAsync()));
        await slave.AssertRowsAsync([1, "b@x", "Ann", "swapped"], [2, "a@x", "Bob", "swapped"], [4, "d@x", "Di", null]);
    }

    [Fact]
    public async Task A_new_session_creates_its_stage_inside_the_slave_transaction_without_committing_it()
    {
        await using var slave = await UsersAsync([[1, "a@x", "Ann", null]]);
        await using var session = await OpenAsync(slave.ConnectionString);

        await using (var transaction = await session.BeginTransactionAsync(Ct))
        {
            await using (var applier = await Apply.OpenAsync(session, transaction, Users, slave.Target, Ct))
                await applier.ApplyAsync([Present(2, "b@x", "Bob", null), slave.Gone(1)], Ct);
            await transaction.RollbackAsync(Ct);
        }

        await slave.AssertRowsAsync([1, "a@x", "Ann", null]);
    }

    [Fact]
    public async Task Rows_left_in_the_stage_are_not_applied_with_the_next_batch()
    {
        // A failed call whose transaction went on without a rollback would leave its batch staged.
        await using var slave = await UsersAsync([[1, "a@x", "Ann", null]]);
        var stage = Dialect.Identifiers.Quote(Apply.Stage(slave.Target));

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await slave.ExecuteAsync($"INSERT INTO {stage} (id, email, repl_present) VALUES (99, 'left@x', 1), (1, NULL, 0)", transaction);
            await slave.ApplyInAsync(transaction, [Present(2, "b@x", "Bob", null)]);
            await transaction.CommitAsync(Ct);
        }

        await slave.AssertRowsAsync([1, "a@x", "Ann", null], [2, "b@x", "Bob", null]);
        Assert.Equal(0L, await slave.ScalarAsync($"SELECT COUNT(*) FROM {stage}"));
    }

    [Fact]
    public async Task A_value_the_slave_column_cannot_hold_fails_the_batch_instead_of_being_truncated()
    {
        await using var slave = await UsersAsync();

        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        var error = await Assert.ThrowsAsync<ReplException>(() => slave.ApplyInAsync(transaction, [Present(1, "a@x", new string('n', 51), null)]));

        Assert.Contains("Users", error.Message, StringComparison.Ordinal);
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_the_codec_refuses_fails_the_batch_and_leaves_the_session_usable()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Scores"),
            [Column("id", new(CanonicalKind.Int32), nullable: false), Column("score", new(CanonicalKind.Float64))],
            new KeyDefinition("PRIMARY", ["id"]), [], []);
        await using var slave = await CreateAsync(table);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            var batch = Enumerable.Range(1, 20_000).Select(i => Present(i, (double)i)).Append(Present(0, double.NaN)).ToList();
            var error = await Assert.ThrowsAsync<SchemaException>(() => slave.ApplyInAsync(transaction, batch));
            Assert.StartsWith("Table Scores column score: ", error.Message, StringComparison.Ordinal);
            Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
            await transaction.RollbackAsync(Ct);
        }
        await slave.ApplyAsync([Present(1, 1.5)]);

        await slave.AssertRowsAsync([1, 1.5]);
    }

    [Fact]
    public async Task A_connection_without_local_infile_is_refused_with_what_to_set()
    {
        await using var slave = await UsersAsync();
        var connectionString = new MySqlConnectionStringBuilder(slave.ConnectionString) { AllowLoadLocalInfile = false }.ConnectionString;
        await using var connection = await OpenAsync(connectionString);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using var applier = await Apply.OpenAsync(connection, transaction, Users, slave.Target, Ct);

        var error = await Assert.ThrowsAsync<ReplException>(() => applier.ApplyAsync([Present(1, "a@x", null, null)], Ct));

        Assert.Contains("AllowLoadLocalInfile=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_in_another_database_gets_its_procedure_and_stage_there()
    {
        await using var slave = await UsersAsync();
        var database = TestServers.DatabaseName(nameof(A_target_in_another_database_gets_its_procedure_and_stage_there), "other");
        await TestServers.NewMySqlDatabaseAsync("other");
        var target = new DbObjectName(database, "Users");
        foreach (var statement in Dialect.Ddl.CreateTable(Users, target).Concat(Apply.InstallRoutine(Users, target)))
            await slave.ExecuteAsync(statement);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await using var applier = await Apply.OpenAsync(slave.Connection, transaction, Users, target, Ct);
            await applier.ApplyAsync([Present(1, "a@x", "Ann", null), Present(2, "b@x", null, null)], Ct);
            await applier.ApplyAsync([slave.Gone(2)], Ct);
            await transaction.CommitAsync(Ct);
        }

        Assert.Equal(1L, await slave.ScalarAsync($"SELECT COUNT(*) FROM `{database}`.Users WHERE id = 1 AND name = 'Ann'"));
        Assert.Equal(1L, await slave.ScalarAsync($"SELECT COUNT(*) FROM `{database}`.Users"));
        Assert.Equal(0L, await slave.ScalarAsync("SELECT COUNT(*) FROM Users"));
        Assert.Equal(1L, await slave.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '{database}' AND ROUTINE_NAME = 'repl_apply_users'"));
    }

    [Fact]
    public async Task Hostile_column_names_are_quoted_everywhere_including_binary_columns()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Odd `table` ünïcode"),
            [
                Column("@id", new(CanonicalKind.Int32), nullable: false),
                Column("bin `quoted`", new(CanonicalKind.Binary, Length: 4)),
                Column("select", new(CanonicalKind.VarChar, Length: 10)),
                Column("@repl_0", new(CanonicalKind.Text)),
                Column("表 名", new(CanonicalKind.Boolean)),
            ],
            new KeyDefinition("PRIMARY", ["@id"]), [], []);
        await using var slave = await CreateAsync(table);

        await slave.ApplyAsync([Present(1, new byte[] { 0, 1 }, "x", "y", true), Present(2, null, null, null, false)]);
        await slave.ApplyAsync([slave.Gone(2), Present(1, new byte[] { 2, 0 }, "x2", "y2", false)]);

        await slave.AssertRowsAsync([1, new byte[] { 2, 0 }, "x2", "y2", false]);
    }
}
