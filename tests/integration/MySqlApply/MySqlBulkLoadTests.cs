using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using MySqlConnector;
using Repl.Dialects;
using Repl.Schema;
using static Repl.IntegrationTests.MySqlApply.MariaDbSlave;

namespace Repl.IntegrationTests.MySqlApply;

public sealed class MySqlBulkLoadTests(ITestOutputHelper output)
{
    private const int RowCount = 200_000;
    private const int ApplyBatch = 5_000;
    private const int StreamCheckRow = 150_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTime Epoch = new(2020, 1, 1);

    private static readonly TableDefinition SiteUsers = TableDefinition.Create(new DbObjectName(null, "SiteUsers"),
        [
            new("id", new(CanonicalKind.Int64), IsNullable: false, IsIdentity: true, NativeType: "bigint"),
            new("email", new(CanonicalKind.VarChar, Length: 100), IsNullable: false, IsIdentity: false, NativeType: "varchar(100)"),
            new("name", new(CanonicalKind.VarChar, Length: 100), IsNullable: true, IsIdentity: false, NativeType: "varchar(100)"),
            new("balance", new(CanonicalKind.Decimal, Precision: 12, Scale: 2), IsNullable: false, IsIdentity: false, NativeType: "decimal(12,2)"),
            new("score", new(CanonicalKind.Float64), IsNullable: false, IsIdentity: false, NativeType: "double"),
            new("created_at", new(CanonicalKind.Timestamp, Precision: 6), IsNullable: false, IsIdentity: false, NativeType: "datetime(6)"),
            new("avatar", new(CanonicalKind.Binary, Length: 32), IsNullable: true, IsIdentity: false, NativeType: "varbinary(32)"),
            new("active", new(CanonicalKind.Boolean), IsNullable: false, IsIdentity: false, NativeType: "tinyint(1)"),
        ],
        new KeyDefinition("PRIMARY", ["id"]),
        [new KeyDefinition("uq_email", ["email"])],
        [new IndexDefinition("ix_created", ["created_at"], IsUnique: false)]);

    private static object?[] Row(long i) =>
    [
        i, $"user{i}@example.com", i % 10 == 0 ? null : $"User {i} 表 ü",
        i % 100_000 + 0.25m, i * 0.5, Epoch.AddSeconds(i).AddTicks(i % 1_000_000 * 10),
        i % 7 == 0 ? null : BitConverter.GetBytes(i), i % 2 == 0,
    ];

    private static async IAsyncEnumerable<object?[]> GenerateAsync(int count, Func<long, Task>? onRow = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (long i = 1; i <= count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (onRow is not null)
                await onRow(i);
            else if (i % 10_000 == 0)
                await Task.Yield();
            yield return Row(i);
        }
    }

    [Fact]
    public async Task Bulk_load_streams_200000_rows_from_an_async_generator_into_the_table_inside_the_transaction()
    {
        await using var slave = await CreateAsync(SiteUsers);
        await using var observer = await OpenAsync(slave.ConnectionString);
        long rowsOnServerWhileGenerating = 0;
        async Task WatchAsync(long i)
        {
            if (i == StreamCheckRow)
                rowsOnServerWhileGenerating = await RowsModifiedAsync(observer, slave.Connection.ServerThread);
        }

        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        var loaded = await BulkLoad.LoadAsync(slave.Connection, transaction, SiteUsers, slave.Target, GenerateAsync(RowCount, WatchAsync, Ct), Ct);
        var visibleBeforeCommit = await CountAsync(observer, "SiteUsers");
        await transaction.CommitAsync(Ct);

        Assert.Equal(RowCount, loaded);
        Assert.InRange(rowsOnServerWhileGenerating, 1, StreamCheckRow - 1);
        Assert.Equal(0L, visibleBeforeCommit);
        await AssertLoadedAsync(slave, "SiteUsers");
    }

    [Fact]
    public async Task Applying_200000_rows_in_batches_gives_the_table_a_bulk_load_gives()
    {
        await using var slave = await CreateAsync(SiteUsers);
        var applied = new DbObjectName(null, "SiteUsers_applied");
        foreach (var statement in Dialect.Ddl.CreateTable(SiteUsers, applied).Concat(Apply.InstallRoutine(SiteUsers, applied)))
            await slave.ExecuteAsync(statement);

        var load = Stopwatch.StartNew();
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await BulkLoad.LoadAsync(slave.Connection, transaction, SiteUsers, slave.Target, GenerateAsync(RowCount, cancellationToken: Ct), Ct);
            await transaction.CommitAsync(Ct);
        }
        load.Stop();
        var insert = await ApplyAllAsync(slave.Connection, applied);
        var update = await ApplyAllAsync(slave.Connection, applied);

        output.WriteLine(Rate("bulk load", load.Elapsed));
        output.WriteLine(Rate($"apply of new keys, batches of {ApplyBatch:N0}", insert) + Ratio(insert, load.Elapsed));
        output.WriteLine(Rate($"apply over existing keys, batches of {ApplyBatch:N0}", update) + Ratio(update, load.Elapsed));
        await AssertLoadedAsync(slave, "SiteUsers_applied");
        await using var checksum = new MySqlCommand("CHECKSUM TABLE SiteUsers, SiteUsers_applied", slave.Connection);
        await using var sums = await checksum.ExecuteReaderAsync(Ct);
        var checksums = new List<long>();
        while (await sums.ReadAsync(Ct))
            checksums.Add(Convert.ToInt64(sums.GetValue(1), CultureInfo.InvariantCulture));
        Assert.Equal(2, checksums.Count);
        Assert.Equal(checksums[0], checksums[1]);
    }

    [Fact]
    public async Task Bulk_load_of_every_canonical_type_reads_back_equal()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Hard"), HardValues.Columns, new KeyDefinition(null, ["id"]), [], []);
        await using var slave = await CreateAsync(table);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            var loaded = await BulkLoad.LoadAsync(slave.Connection, transaction, table, slave.Target, HardValues.Rows.ToAsyncEnumerable(), Ct);
            await transaction.CommitAsync(Ct);
            Assert.Equal(HardValues.Rows.Length, loaded);
        }

        await slave.AssertRowsAsync(HardValues.Rows);
    }

    [Fact]
    public async Task A_rolled_back_bulk_load_leaves_the_table_empty()
    {
        await using var slave = await CreateAsync(SiteUsers);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await BulkLoad.LoadAsync(slave.Connection, transaction, SiteUsers, slave.Target, GenerateAsync(1_000, cancellationToken: Ct), Ct);
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal(0L, await slave.ScalarAsync("SELECT COUNT(*) FROM SiteUsers"));
    }

    [Fact]
    public async Task A_bulk_load_cancelled_midway_throws_cancellation_and_leaves_the_session_usable_after_rollback()
    {
        await using var slave = await CreateAsync(SiteUsers);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task CancelAt(long i)
        {
            if (i == 50_000)
                cancel.Cancel();
            return Task.CompletedTask;
        }

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                BulkLoad.LoadAsync(slave.Connection, transaction, SiteUsers, slave.Target, GenerateAsync(RowCount, CancelAt, cancel.Token), cancel.Token));
            await transaction.RollbackAsync(Ct);
        }
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await BulkLoad.LoadAsync(slave.Connection, transaction, SiteUsers, slave.Target, GenerateAsync(10, cancellationToken: Ct), Ct);
            await transaction.CommitAsync(Ct);
        }

        Assert.Equal(10L, await slave.ScalarAsync("SELECT COUNT(*) FROM SiteUsers"));
    }

    private static async Task<TimeSpan> ApplyAllAsync(MySqlConnection connection, DbObjectName target)
    {
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var applier = await Apply.OpenAsync(connection, transaction, SiteUsers, target, Ct))
        {
            var batch = new List<ChangeRow>(ApplyBatch);
            await foreach (var row in GenerateAsync(RowCount, cancellationToken: Ct))
            {
                batch.Add(new ChangeRow(true, row));
                if (batch.Count < ApplyBatch)
                    continue;
                await applier.ApplyAsync(batch, Ct);
                batch.Clear();
            }
            if (batch.Count > 0)
                await applier.ApplyAsync(batch, Ct);
        }
        await transaction.CommitAsync(Ct);
        return clock.Elapsed;
    }

    private static async Task AssertLoadedAsync(MariaDbSlave slave, string table)
    {
        await using var command = new MySqlCommand(
            $"SELECT COUNT(*), SUM(id), SUM(balance), SUM(score), SUM(name IS NULL), SUM(avatar IS NULL), SUM(active) FROM {table}", slave.Connection);
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct));
            var ids = Enumerable.Range(1, RowCount).Select(i => (long)i).ToList();
            Assert.Equal(RowCount, reader.GetInt64(0));
            Assert.Equal(ids.Sum(), reader.GetDecimal(1));
            Assert.Equal(ids.Sum(i => (decimal)Row(i)[3]!), reader.GetDecimal(2));
            Assert.Equal(ids.Sum(i => (double)Row(i)[4]!), reader.GetDouble(3));
            Assert.Equal(ids.Count(i => i % 10 == 0), reader.GetDecimal(4));
            Assert.Equal(ids.Count(i => i % 7 == 0), reader.GetDecimal(5));
            Assert.Equal(ids.Count(i => i % 2 == 0), reader.GetDecimal(6));
        }
        long[] spots = [1, 7, 10, 70, 99_999, 123_456, RowCount];
        var rows = await ReadRowsAsync(slave.Connection, table, spots);
        Assert.Equal(Normalize(spots.Select(Row)), Normalize(rows));
    }

    private static async Task<List<object?[]>> ReadRowsAsync(MySqlConnection connection, string table, long[] ids)
    {
        var columns = SiteUsers.Columns;
        await using var command = new MySqlCommand(
            $"SELECT {string.Join(", ", columns.Select(c => Dialect.Identifiers.Quote(c.Name)))} FROM {table} WHERE id IN ({string.Join(", ", ids)})", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
            rows.Add(columns.Select((c, i) => Dialect.Values.Read(reader, i, c.Type)).ToArray());
        return rows;
    }

    /// <summary>Rows the open transaction of <paramref name="thread"/> has written so far; InnoDB refreshes this view every 0.1 s.</summary>
    private static async Task<long> RowsModifiedAsync(MySqlConnection observer, int thread)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new MySqlCommand("SELECT trx_rows_modified FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = @thread", observer);
            command.Parameters.AddWithValue("@thread", thread);
            var rows = Convert.ToInt64(await command.ExecuteScalarAsync(Ct) ?? 0L, CultureInfo.InvariantCulture);
            if (rows > 0 || deadline.Elapsed > TimeSpan.FromSeconds(10))
                return rows;
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<long> CountAsync(MySqlConnection connection, string table)
    {
        await using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    private static string Rate(string what, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{what}: {RowCount:N0} rows in {elapsed.TotalSeconds:F2} s = {RowCount / elapsed.TotalSeconds:N0} rows/s");

    private static string Ratio(TimeSpan apply, TimeSpan load) => string.Create(CultureInfo.InvariantCulture,
        $" (apply rate / bulk-load rate = {load.TotalSeconds / apply.TotalSeconds:F2})");
}
