using System.Data.Common;
using System.Globalization;
using System.Text;
using Repl.Schema;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// A seeded random stream of master transactions over two tables that exercises every trap of DESIGN §5: inserts,
/// updates, deletes, primary-key changes, a swap of two rows' UNIQUE values inside one transaction, delete and re-insert
/// of one key, NULL↔value, NULL vs empty string, Unicode (emoji, CJK), binary with zero bytes, and rollbacks.
/// It tracks the live keys itself so every statement hits a real row.
/// </summary>
public sealed class RandomWorkload(Vendor vendor, int seed)
{
    private static readonly string[] Texts = ["", "plain", "Grüße", "日本語のテキスト", "emoji 🙂🚀", "quote ' and \" and \\", "tab\tnew\nline"];
    private readonly Random _random = new(seed);
    private readonly List<int> _accounts = [];
    private readonly List<(int K1, string K2)> _blobs = [];
    private int _nextId = 1;

    /// <summary>The master tables the workload writes, in creation order.</summary>
    public IReadOnlyList<string> Schema => vendor == Vendor.PostgreSql
        ?
        [
            "CREATE TABLE accounts (id integer PRIMARY KEY, owner varchar(60) NOT NULL UNIQUE, balance numeric(14,2) NOT NULL, " +
            "note text, score double precision, updated timestamp(6) NOT NULL, flag boolean)",
            "CREATE TABLE blobs (k2 varchar(12) NOT NULL, k1 integer NOT NULL, data bytea, label varchar(40), PRIMARY KEY (k1, k2))",
        ]
        :
        [
            "CREATE TABLE accounts (id int PRIMARY KEY, owner varchar(60) NOT NULL UNIQUE, balance decimal(14,2) NOT NULL, " +
            "note text, score double, updated datetime(6) NOT NULL, flag boolean) ENGINE=InnoDB",
            "CREATE TABLE blobs (k2 varchar(12) NOT NULL, k1 int NOT NULL, data longblob, label varchar(40), PRIMARY KEY (k1, k2)) ENGINE=InnoDB",
        ];

    /// <summary>The tables to name in the config.</summary>
    public static IReadOnlyList<(string Name, string Mode)> Tables => [("accounts", "log"), ("blobs", "log")];

    /// <summary>Runs <paramref name="transactions"/> random transactions (about 10 % rolled back) on the master.</summary>
    public async Task RunAsync(DbConnection master, int transactions)
    {
        for (var t = 0; t < transactions; t++)
        {
            var accounts = new List<int>(_accounts);
            var blobs = new List<(int, string)>(_blobs);
            var next = _nextId;
            await using var tx = await master.BeginTransactionAsync();
            var steps = _random.Next(1, 6);
            for (var s = 0; s < steps; s++)
                next = await StepAsync(master, tx, accounts, blobs, next);
            if (_random.Next(10) == 0)
            {
                await tx.RollbackAsync();
                continue;
            }
            await tx.CommitAsync();
            _accounts.Clear();
            _accounts.AddRange(accounts);
            _blobs.Clear();
            _blobs.AddRange(blobs);
            _nextId = next;
        }
    }

    private async Task<int> StepAsync(DbConnection c, DbTransaction tx, List<int> accounts, List<(int K1, string K2)> blobs, int next)
    {
        switch (_random.Next(10))
        {
            case 0 or 1 or 2:
                var id = next++;
                await Exec(c, tx, "INSERT INTO accounts (id, owner, balance, note, score, updated, flag) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
                    id, "owner-" + id.ToString(CultureInfo.InvariantCulture), Money(), Text(), Score(), Stamp(), Flag());
                accounts.Add(id);
                break;
            case 3 when accounts.Count > 0:
                await Exec(c, tx, "UPDATE accounts SET balance = @p1, note = @p2, score = @p3, updated = @p4, flag = @p5 WHERE id = @p0",
                    Pick(accounts), Money(), Text(), Score(), Stamp(), Flag());
                break;
            case 4 when accounts.Count > 0:
                var gone = Pick(accounts);
                await Exec(c, tx, "DELETE FROM accounts WHERE id = @p0", gone);
                accounts.Remove(gone);
                break;
            case 5 when accounts.Count > 0:
                // Primary-key change: the slave must lose the old key, not keep a stale row.
                var old = Pick(accounts);
                var moved = next++;
                await Exec(c, tx, "UPDATE accounts SET id = @p0 WHERE id = @p1", moved, old);
                accounts.Remove(old);
                accounts.Add(moved);
                break;
            case 6 when accounts.Count > 1:
                // Swap two rows' UNIQUE owner values inside one transaction.
                var a = Pick(accounts);
                var b = accounts.First(x => x != a);
                var ownerA = await Scalar(c, tx, "SELECT owner FROM accounts WHERE id = @p0", a);
                var ownerB = await Scalar(c, tx, "SELECT owner FROM accounts WHERE id = @p0", b);
                await Exec(c, tx, "UPDATE accounts SET owner = @p1 WHERE id = @p0", a, "swap-" + next++.ToString(CultureInfo.InvariantCulture));
                await Exec(c, tx, "UPDATE accounts SET owner = @p1 WHERE id = @p0", b, ownerA);
                await Exec(c, tx, "UPDATE accounts SET owner = @p1 WHERE id = @p0", a, ownerB);
                break;
            case 7 when accounts.Count > 0:
                // Delete and re-insert of one key in one transaction.
                var again = Pick(accounts);
                await Exec(c, tx, "DELETE FROM accounts WHERE id = @p0", again);
                await Exec(c, tx, "INSERT INTO accounts (id, owner, balance, note, score, updated, flag) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
                    again, "again-" + next++.ToString(CultureInfo.InvariantCulture), Money(), Text(), Score(), Stamp(), Flag());
                break;
            case 8:
                var key = (next++, _random.Next(3) == 0 ? "" : "k" + _random.Next(100).ToString(CultureInfo.InvariantCulture));
                await Exec(c, tx, "INSERT INTO blobs (k1, k2, data, label) VALUES (@p0, @p1, @p2, @p3)", key.Item1, key.Item2, Bytes(), Text());
                blobs.Add(key);
                break;
            default:
                if (blobs.Count == 0)
                    break;
                var blob = blobs[_random.Next(blobs.Count)];
                if (_random.Next(2) == 0)
                {
                    await Exec(c, tx, "UPDATE blobs SET data = @p2, label = @p3 WHERE k1 = @p0 AND k2 = @p1", blob.K1, blob.K2, Bytes(), Text());
                }
                else
                {
                    await Exec(c, tx, "DELETE FROM blobs WHERE k1 = @p0 AND k2 = @p1", blob.K1, blob.K2);
                    blobs.Remove(blob);
                }
                break;
        }
        return next;
    }

    private int Pick(List<int> ids) => ids[_random.Next(ids.Count)];

    private decimal Money() => Math.Round((decimal)(_random.NextDouble() * 2_000_000 - 1_000_000), 2);

    private string? Text() => _random.Next(5) == 0 ? null : Texts[_random.Next(Texts.Length)] + _random.Next(1000).ToString(CultureInfo.InvariantCulture);

    private double? Score() => _random.Next(5) == 0 ? null : _random.NextDouble() * Math.Pow(10, _random.Next(-5, 15));

    private bool? Flag() => _random.Next(3) switch { 0 => null, 1 => true, _ => false };

    private DateTime Stamp() => new DateTime(1890, 1, 1).AddTicks((long)(_random.NextDouble() * (new DateTime(2150, 1, 1) - new DateTime(1890, 1, 1)).Ticks) / 10 * 10);

    private byte[]? Bytes()
    {
        if (_random.Next(6) == 0)
            return null;
        var bytes = new byte[_random.Next(0, 300)];
        _random.NextBytes(bytes);
        if (bytes.Length > 2)
            bytes[1] = 0;
        return bytes;
    }

    private static async Task<object> Scalar(DbConnection connection, DbTransaction tx, string sql, object value)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        var p = command.CreateParameter();
        p.ParameterName = "@p0";
        p.Value = value;
        command.Parameters.Add(p);
        return (await command.ExecuteScalarAsync())!;
    }

    private static async Task Exec(DbConnection connection, DbTransaction tx, string sql, params object?[] values)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        await command.ExecuteNonQueryAsync();
    }
}
