using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using Repl.Dialects;
using Repl.Dialects.PostgreSql;
using Repl.IntegrationTests.PostgreSql;
using Repl.Schema;
using static Repl.IntegrationTests.PostgreSqlApply.ApplyHarness;

namespace Repl.IntegrationTests.PostgreSqlApply;

public sealed class PostgreSqlBulkLoadTests(ITestOutputHelper output)
{
    private const int RowCount = 200_000;
    private const int BatchSize = 10_000;

    private static readonly PostgreSqlBulkLoad BulkLoad = new(Pg);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static TableDefinition Generated(string name) => TableDefinition.Create(new DbObjectName("public", name),
        [
            Column("id", new(CanonicalKind.Int64), nullable: false), Column("name", new(CanonicalKind.VarChar, Length: 100)),
            Column("amount", new(CanonicalKind.Decimal, Precision: 12, Scale: 2)), Column("created", new(CanonicalKind.TimestampTz, Precision: 6)),
            Column("active", new(CanonicalKind.Boolean)), Column("payload", new(CanonicalKind.Binary)),
        ],
        new KeyDefinition(name + "_pkey", ["id"]), [], []);

    private static object?[] Row(long i, int version = 0) =>
    [
        i,
        string.Create(CultureInfo.InvariantCulture, $"user {i} ü{version}"),
        (i % 100_000) / 100m + version,
        Epoch.AddSeconds(i).AddTicks(i % 10 * 10),
        i % 2 == 0,
        i % 5 == 0 ? null : new byte[] { 0, (byte)i, (byte)(i >> 8), 0 },
    ];

    [Fact]
    public async Task Two_hundred_thousand_generated_rows_stream_into_the_table_inside_the_transaction()
    {
        var table = Generated("Loaded");
        await using var slave = await CreateAsync(table);
        var early = new WeakReference<object?[]>([]);
        bool? earlyRowAliveLate = null;

        async IAsyncEnumerable<object?[]> Rows([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (long i = 1; i <= RowCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = Row(i);
                if (i == 1_000)
                    early.SetTarget(row);
                if (i == 150_000)
                {
                    // Had the loader kept every row it was given, row 1,000 would still be reachable here.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    earlyRowAliveLate = early.TryGetTarget(out _);
                }
                yield return row;
                await Task.CompletedTask;
            }
        }

        var clock = Stopwatch.StartNew();
        long loaded;
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            loaded = await BulkLoad.LoadAsync(slave.Connection, transaction, table, slave.Target, Rows(Ct), Ct);
            await transaction.CommitAsync(Ct);
        }
        clock.Stop();
        output.WriteLine($"bulk load: {RowCount:N0} rows in {clock.ElapsedMilliseconds:N0} ms = {RowCount / clock.Elapsed.TotalSeconds:N0} rows/s");

        Assert.Equal(RowCount, loaded);
        Assert.False(earlyRowAliveLate);
        var expectedAmount = Enumerable.Range(1, RowCount).Sum(i => (i % 100_000) / 100m);
        var expectedNameLength = Enumerable.Range(1, RowCount).Sum(i => (long)((string)Row(i)[1]!).Length);
        await using var sums = new NpgsqlCommand(
            """SELECT count(*), sum(id), sum(amount), sum(length(name)), count(payload), count(*) FILTER (WHERE active) FROM "Loaded" """,
            slave.Connection);
        await using (var reader = await sums.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal(RowCount, reader.GetInt64(0));
            Assert.Equal((decimal)RowCount * (RowCount + 1) / 2, reader.GetDecimal(1));
            Assert.Equal(expectedAmount, reader.GetDecimal(2));
            Assert.Equal(expectedNameLength, reader.GetInt64(3));
            Assert.Equal(RowCount - (RowCount / 5), reader.GetInt64(4));
            Assert.Equal(RowCount / 2, reader.GetInt64(5));
        }
        await using var spots = new NpgsqlCommand("""DELETE FROM "Loaded" WHERE id NOT IN (1, 5, 99999, 200000)""", slave.Connection);
        await spots.ExecuteNonQueryAsync(Ct);
        slave.AssertRows([Row(1), Row(5), Row(99_999), Row(200_000)], await slave.ReadAsync());
    }

    [Fact]
    public async Task A_rolled_back_load_leaves_the_table_empty()
    {
        var table = Generated("Loaded");
        await using var slave = await CreateAsync(table);

        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            var loaded = await BulkLoad.LoadAsync(slave.Connection, transaction, table, slave.Target, Generate(1, 1_000), Ct);
            Assert.Equal(1_000, loaded);
            await transaction.RollbackAsync(Ct);
        }

        Assert.Empty(await slave.ReadAsync());
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_naming_table_and_column_before_anything_is_sent()
    {
        var table = Generated("Loaded");
        await using var slave = await CreateAsync(table);
        object?[] bad = [.. Row(2)];
        bad[3] = "yesterday";

        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            BulkLoad.LoadAsync(slave.Connection, transaction, table, slave.Target, Listed([Row(1), bad]), Ct));

        Assert.Contains("public.Loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("created", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applying_two_hundred_thousand_rows_is_timed_against_bulk_loading_them()
    {
        var table = Generated("Rates");
        await using var slave = await CreateAsync(table);
        var loadedTable = new DbObjectName(null, "RatesLoaded");
        foreach (var statement in Pg.Ddl.CreateTable(Generated("RatesLoaded"), loadedTable))
            await slave.Connection.ExecuteAsync(statement);

        // Both paths run on half the rows first (then rolled back): a shorter warm-up left the first timed path in
        // unoptimised JIT code, three times slower than the second.
        await using (var warmUp = await slave.Connection.BeginTransactionAsync(Ct))
        {
            await BulkLoad.LoadAsync(slave.Connection, warmUp, table, loadedTable, Generate(1, RowCount / 2), Ct);
            await ApplyAllAsync(warmUp, version: 0, RowCount / 2);
            await warmUp.RollbackAsync(Ct);
        }

        var load = await TimeAsync(async transaction =>
            await BulkLoad.LoadAsync(slave.Connection, transaction, table, loadedTable, Generate(1, RowCount), Ct));
        var insert = await TimeAsync(async transaction => await ApplyAllAsync(transaction, version: 0));
        var identical = await DifferingRowsAsync();
        var update = await TimeAsync(async transaction => await ApplyAllAsync(transaction, version: 1));

        output.WriteLine($"bulk load (COPY):      {Rate(load)}");
        output.WriteLine($"apply, new keys:       {Rate(insert)}  = {load.TotalSeconds / insert.TotalSeconds:P0} of bulk load");
        output.WriteLine($"apply, existing keys:  {Rate(update)}  = {load.TotalSeconds / update.TotalSeconds:P0} of bulk load");
        Assert.Equal(0, identical);
        Assert.Equal(RowCount, await DifferingRowsAsync());

        async Task<TimeSpan> TimeAsync(Func<NpgsqlTransaction, Task> work)
        {
            await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);
            var clock = Stopwatch.StartNew();
            await work(transaction);
            await transaction.CommitAsync(Ct);
            return clock.Elapsed;
        }

        async Task ApplyAllAsync(NpgsqlTransaction transaction, int version, int rows = RowCount)
        {
            await using var applier = await Apply.OpenAsync(slave.Connection, transaction, table, slave.Target, Ct);
            var batch = new List<ChangeRow>(BatchSize);
            for (long i = 1; i <= rows; i++)
            {
                batch.Add(Present(Row(i, version)));
                if (batch.Count == BatchSize)
                {
                    await applier.ApplyAsync(batch, Ct);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
                await applier.ApplyAsync(batch, Ct);
        }

        async Task<long> DifferingRowsAsync()
        {
            await using var command = new NpgsqlCommand(
                """SELECT count(*) FROM ((TABLE "Rates" EXCEPT TABLE "RatesLoaded") UNION ALL (TABLE "RatesLoaded" EXCEPT TABLE "Rates")) d""",
                slave.Connection);
            return (long)(await command.ExecuteScalarAsync(Ct))! / 2;
        }

        static string Rate(TimeSpan elapsed) =>
            string.Create(CultureInfo.InvariantCulture, $"{RowCount:N0} rows in {elapsed.TotalMilliseconds,6:N0} ms = {RowCount / elapsed.TotalSeconds,9:N0} rows/s");
    }

    private static async IAsyncEnumerable<object?[]> Generate(long first, long last)
    {
        for (var i = first; i <= last; i++)
        {
            yield return Row(i);
            await Task.CompletedTask;
        }
    }

    private static async IAsyncEnumerable<object?[]> Listed(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
            await Task.CompletedTask;
        }
    }
}
