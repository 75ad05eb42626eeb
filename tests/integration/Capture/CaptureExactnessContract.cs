using System.Collections.Concurrent;
using System.Data.Common;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.IntegrationTests.Capture;

/// <summary>
/// The capture contract every master vendor must meet (DESIGN §4, issue 4): with concurrent writers, every committed
/// change is logged under its own transaction's id, nothing of a rolled-back transaction is logged, and no two
/// transactions share an id. Each transaction also inserts a marker row, which tells us its logged txid.
/// </summary>
public abstract class CaptureExactnessContract
{
    private const int Writers = 8;
    private const int TransactionsPerWriter = 1250;

    private protected abstract Vendor Vendor { get; }

    /// <summary>A fresh master database for the calling test.</summary>
    protected abstract Task<string> NewDatabaseAsync(string test);

    /// <summary>Opens a connection to the test's master database.</summary>
    protected abstract Task<DbConnection> OpenAsync(string connectionString);

    /// <summary>SQL expression rendering the log's txid column as text.</summary>
    protected abstract string TxidAsText { get; }

    /// <summary>CREATE TABLE statements for accounts(id, balance), items(a, b, v) keyed (a, b), markers(id).</summary>
    protected abstract IReadOnlyList<string> CreateTables { get; }

    [Fact]
    public async Task Every_committed_change_is_logged_under_its_own_transaction_and_rollbacks_leave_nothing()
    {
        var cs = await NewDatabaseAsync(nameof(Every_committed_change_is_logged_under_its_own_transaction_and_rollbacks_leave_nothing));
        var dialect = VendorDialects.For(Vendor);
        var tables = await InstallAsync(cs, dialect);

        var record = new ConcurrentDictionary<long, (bool Committed, HashSet<(string, string)> Keys)>();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(cs, w, record))));

        var logged = await ReadLogsAsync(cs, tables);
        var markerTxid = new Dictionary<long, string>();
        foreach (var (txid, entries) in logged)
            foreach (var (table, key) in entries.Where(e => e.Item1 == "markers"))
                Assert.True(markerTxid.TryAdd(long.Parse(key, System.Globalization.CultureInfo.InvariantCulture), txid),
                    $"marker {key} logged twice");

        var committed = record.Where(r => r.Value.Committed).ToList();
        Assert.Equal(Writers * TransactionsPerWriter, record.Count);
        Assert.InRange(committed.Count, record.Count * 8 / 10, record.Count);
        foreach (var (marker, (isCommitted, keys)) in record)
        {
            if (!isCommitted)
            {
                Assert.False(markerTxid.ContainsKey(marker), $"rolled-back transaction {marker} was logged");
                continue;
            }
            Assert.True(markerTxid.TryGetValue(marker, out var txid), $"committed transaction {marker} was not logged");
            var expected = new HashSet<(string, string)>(keys) { ("markers", marker.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            Assert.Equal(expected.OrderBy(x => x).ToList(), logged[txid!].OrderBy(x => x).ToList());
        }
        Assert.Equal(committed.Count, markerTxid.Values.Distinct().Count());
        Assert.Equal(committed.Count, logged.Count);
    }

    private async Task<IReadOnlyList<ReplicatedTable>> InstallAsync(string cs, VendorDialect dialect)
    {
        await using var connection = await OpenAsync(cs);
        foreach (var sql in CreateTables)
            await ExecuteAsync(connection, sql);
        var capture = await dialect.Capture!.ForMasterAsync(connection, CancellationToken.None);
        var tables = new List<ReplicatedTable>();
        foreach (var sql in capture.InstallBase())
            await ExecuteAsync(connection, sql);
        foreach (var name in new[] { "accounts", "items", "markers" })
        {
            var found = await dialect.Schema.Catalog.FindTablesAsync(connection, new DbObjectName(null, name), CancellationToken.None);
            var table = capture.Describe(await dialect.Schema.Catalog.ReadTableAsync(connection, Assert.Single(found), CancellationToken.None), TableMode.Log);
            foreach (var sql in capture.InstallTable(table))
                await ExecuteAsync(connection, sql);
            tables.Add(table);
        }
        await AssertInstalledAsync(connection);
        return tables;
    }

    /// <summary>Checks, after install, that the capture under test is the one installed.</summary>
    protected virtual Task AssertInstalledAsync(DbConnection connection) => Task.CompletedTask;

    private async Task WriteAsync(string cs, int writer, ConcurrentDictionary<long, (bool, HashSet<(string, string)>)> record)
    {
        var random = new Random(writer * 7919);
        var accounts = new List<long>();
        var items = new List<(long A, string B)>();
        long nextId = writer * 1_000_000L;
        await using var connection = await OpenAsync(cs);
        for (var n = 0; n < TransactionsPerWriter; n++)
        {
            var marker = writer * 1_000_000L + 900_000 + n;
            var keys = new HashSet<(string, string)>();
            var accountsAfter = new List<long>(accounts);
            var itemsAfter = new List<(long, string)>(items);
            await using var tx = await connection.BeginTransactionAsync();
            await ExecuteAsync(connection, "INSERT INTO markers (id) VALUES (@p0)", tx, marker);
            var changes = random.Next(1, 6);
            for (var c = 0; c < changes; c++)
            {
                switch (random.Next(6))
                {
                    case 0 or 1:
                        var id = ++nextId;
                        await ExecuteAsync(connection, "INSERT INTO accounts (id, balance) VALUES (@p0, @p1)", tx, id, random.Next(1000));
                        accountsAfter.Add(id);
                        keys.Add(("accounts", Key(id)));
                        break;
                    case 2 when accountsAfter.Count > 0:
                        var upd = accountsAfter[random.Next(accountsAfter.Count)];
                        await ExecuteAsync(connection, "UPDATE accounts SET balance = balance + 1 WHERE id = @p0", tx, upd);
                        keys.Add(("accounts", Key(upd)));
                        break;
                    case 3 when accountsAfter.Count > 0:
                        // A primary-key change logs the old and the new key.
                        var old = accountsAfter[random.Next(accountsAfter.Count)];
                        var moved = ++nextId;
                        await ExecuteAsync(connection, "UPDATE accounts SET id = @p0 WHERE id = @p1", tx, moved, old);
                        accountsAfter.Remove(old);
                        accountsAfter.Add(moved);
                        keys.Add(("accounts", Key(old)));
                        keys.Add(("accounts", Key(moved)));
                        break;
                    case 4 when accountsAfter.Count > 0:
                        var del = accountsAfter[random.Next(accountsAfter.Count)];
                        await ExecuteAsync(connection, "DELETE FROM accounts WHERE id = @p0", tx, del);
                        accountsAfter.Remove(del);
                        keys.Add(("accounts", Key(del)));
                        break;
                    default:
                        var item = (++nextId, "k" + random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        await ExecuteAsync(connection, "INSERT INTO items (a, b, v) VALUES (@p0, @p1, 1)", tx, item.Item1, item.Item2);
                        // A multi-row statement: every row it touches is logged.
                        await ExecuteAsync(connection, "UPDATE items SET v = v + 1 WHERE a = @p0", tx, item.Item1);
                        itemsAfter.Add(item);
                        keys.Add(("items", Key(item.Item1) + "|" + item.Item2));
                        break;
                }
            }
            var commit = random.Next(10) != 0;
            if (commit)
            {
                await tx.CommitAsync();
                accounts = accountsAfter;
                items = itemsAfter;
            }
            else
            {
                await tx.RollbackAsync();
            }
            record[marker] = (commit, keys);
        }
    }

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Dictionary<string, List<(string, string)>>> ReadLogsAsync(string cs, IReadOnlyList<ReplicatedTable> tables)
    {
        var dialect = VendorDialects.For(Vendor);
        var ids = dialect.Schema.Identifiers;
        var byTxid = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(cs);
        foreach (var table in tables)
        {
            var keys = table.Source.Key.Columns.Select(ids.Quote).ToList();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {TxidAsText}, {string.Join(", ", keys)} FROM {ids.Quote(table.LogName)}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = string.Join("|", Enumerable.Range(1, keys.Count).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
                var txid = reader.GetString(0);
                if (!byTxid.TryGetValue(txid, out var list))
                    byTxid[txid] = list = [];
                // The log may hold a key twice for one transaction (a row updated twice); the set of keys is what counts.
                if (!list.Contains((table.Source.Name.Name, key)))
                    list.Add((table.Source.Name.Name, key));
            }
        }
        return byTxid;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, DbTransaction? tx = null, params object[] values)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        for (var i = 0; i < values.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.Value = values[i];
            command.Parameters.Add(p);
        }
        await command.ExecuteNonQueryAsync();
    }
}
