using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Repl.Schema;
using static Repl.IntegrationTests.SqliteApply.SqliteSlave;

namespace Repl.IntegrationTests.SqliteApply;

public sealed class SqliteBulkLoadTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TableDefinition Accounts() => TableDefinition.Create(new DbObjectName(null, "accounts"),
        [
            Col("id", new(CanonicalKind.Int64), false), Col("name", new(CanonicalKind.VarChar, Length: 50), false),
            Col("balance", new(CanonicalKind.Decimal, Precision: 12, Scale: 2)), Col("ratio", new(CanonicalKind.Float64)),
            Col("active", new(CanonicalKind.Boolean), false), Col("opened", new(CanonicalKind.Timestamp, Precision: 6)),
            Col("token", new(CanonicalKind.Uuid)), Col("blob", new(CanonicalKind.Binary)),
        ],
        new KeyDefinition(null, ["id"]), [new KeyDefinition(null, ["name"])], []);

    private static object?[] Account(long i) =>
    [
        i, $"account {i} é😀", i % 7 == 0 ? null : i * 1.25m, i / 3.0, i % 2 == 0,
        new DateTime(2020, 1, 1).AddTicks(i * 10_000_010), new Guid((int)i, 1, 2, [3, 4, 5, 6, 7, 8, 9, 10]),
        i % 5 == 0 ? null : new byte[] { (byte)i, 0, (byte)(i >> 8) },
    ];

    private static async IAsyncEnumerable<object?[]> GenerateAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (long i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i % 10_000 == 0)
                await Task.Yield();
            yield return Account(i);
        }
    }

    [Fact]
    public async Task Loads_200000_streamed_rows_with_exact_count_sums_and_values()
    {
        const int rows = 200_000;
        await using var slave = await CreateAsync(Accounts());

        var clock = Stopwatch.StartNew();
        long loaded;
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            loaded = await BulkLoad.LoadAsync(slave.Connection, transaction, slave.Table, slave.Target, GenerateAsync(rows, Ct), Ct);
            await transaction.CommitAsync(Ct);
        }
        var elapsed = clock.Elapsed;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQLite bulk load: {rows:N0} rows of 8 columns in {elapsed.TotalSeconds:F2} s ({rows / elapsed.TotalSeconds:N0} rows/s)."));
        Assert.Equal(rows, loaded);
        Assert.Equal((long)rows, await slave.ScalarAsync("SELECT count(*) FROM \"accounts\""));
        Assert.Equal((long)rows * (rows - 1) / 2, await slave.ScalarAsync("SELECT sum(\"id\") FROM \"accounts\""));
        Assert.Equal((long)rows / 2, await slave.ScalarAsync("SELECT sum(\"active\") FROM \"accounts\""));
        Assert.Equal((long)rows / 5, await slave.ScalarAsync("SELECT count(*) FROM \"accounts\" WHERE \"blob\" IS NULL"));
        var all = await slave.RowsAsync();
        Assert.Equal(Enumerable.Range(0, rows).Where(i => i % 7 != 0).Sum(i => i * 1.25m), all.Sum(r => (decimal?)r[2]));
        Assert.Equal(Enumerable.Range(0, rows).Sum(i => i / 3.0), all.Sum(r => (double)r[3]!), 1e-6);
        foreach (var i in new[] { 0, 1, 7, 65_535, 65_536, 123_457, rows - 1 })
            Assert.Equal(Account(i), all[i]);
    }

    [Fact]
    public async Task An_empty_stream_loads_nothing()
    {
        await using var slave = await CreateAsync(Accounts());
        await using var transaction = await slave.Connection.BeginTransactionAsync(Ct);

        var loaded = await BulkLoad.LoadAsync(slave.Connection, transaction, slave.Table, slave.Target, GenerateAsync(0, Ct), Ct);

        Assert.Equal(0, loaded);
        Assert.Equal(0L, await slave.ScalarAsync("SELECT count(*) FROM \"accounts\""));
    }

    [Fact]
    public async Task Rolling_back_the_transaction_undoes_the_load()
    {
        await using var slave = await CreateAsync(Accounts());
        await using (var transaction = await slave.Connection.BeginTransactionAsync(Ct))
        {
            Assert.Equal(1_000, await BulkLoad.LoadAsync(slave.Connection, transaction, slave.Table, slave.Target, GenerateAsync(1_000, Ct), Ct));
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal(0L, await slave.ScalarAsync("SELECT count(*) FROM \"accounts\""));
    }
}
