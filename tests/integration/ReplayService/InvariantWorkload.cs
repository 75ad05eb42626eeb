using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Npgsql;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// Master transactions that each keep two cross-table invariants, and the reader that checks them on a slave.
/// Money: every transaction moves money between rows of <c>checking</c> and <c>savings</c> (transfers, a savings row
/// opened from or closed into a checking row, a primary-key change), so the total over both tables never changes.
/// Families: a parent is inserted with its children in one transaction and records how many it has; families are also
/// deleted whole and children moved between parents. A slave that ever commits part of a master transaction, or a mix
/// of two master moments, shows a wrong total, an orphan or a wrong count.
/// </summary>
internal sealed class InvariantWorkload(Vendor master)
{
    /// <summary>Accounts per table at the start, each holding <see cref="Opening"/>.</summary>
    public const int Accounts = 20;

    /// <summary>What each account holds at the start.</summary>
    public const long Opening = 1_000;

    /// <summary>The total over both tables, forever.</summary>
    public const long Total = 2 * Accounts * Opening;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<int>> _accounts = new(StringComparer.Ordinal)
    {
        ["checking"] = [.. Enumerable.Range(1, Accounts)],
        ["savings"] = [.. Enumerable.Range(1, Accounts)],
    };
    private int _nextId = 1_000;
    private int _committed;
    private int _rolledBack;
    private int _aborted;

    /// <summary>Transactions committed on the master.</summary>
    public int Committed => Volatile.Read(ref _committed);

    /// <summary>Transactions rolled back on purpose or because a row had moved meanwhile.</summary>
    public int RolledBack => Volatile.Read(ref _rolledBack);

    /// <summary>Transactions the server aborted (deadlock, serialization failure); harmless, like any rollback.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>The tables, in the order to name them in the config.</summary>
    public static IReadOnlyList<(string Name, string Mode)> Tables =>
        [("checking", "log"), ("savings", "log"), ("parents", "log"), ("children", "log")];

    /// <summary>The master schema and its opening balances.</summary>
    public IReadOnlyList<string> Schema
    {
        get
        {
            var engine = master == Vendor.MySql ? " ENGINE=InnoDB" : "";
            var rows = string.Join(", ", Enumerable.Range(1, Accounts).Select(i => string.Create(CultureInfo.InvariantCulture, $"({i}, {Opening})")));
            return
            [
                $"CREATE TABLE checking (id integer PRIMARY KEY, amount bigint NOT NULL){engine}",
                $"CREATE TABLE savings (id integer PRIMARY KEY, amount bigint NOT NULL){engine}",
                $"CREATE TABLE parents (id integer PRIMARY KEY, children integer NOT NULL){engine}",
                $"CREATE TABLE children (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parents (id)){engine}",
                $"INSERT INTO checking (id, amount) VALUES {rows}",
                $"INSERT INTO savings (id, amount) VALUES {rows}",
            ];
        }
    }

    /// <summary>Moves money in random transactions until <paramref name="stop"/> is cancelled.</summary>
    public async Task MoveMoneyAsync(DbConnection connection, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        while (!stop.IsCancellationRequested)
        {
            await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
            try
            {
                var (commit, committed) = random.Next(20) switch
                {
                    < 12 => await TransferAsync(connection, tx, random),
                    < 14 => await RenumberAsync(connection, tx, random),
                    < 16 => await OpenSavingsAsync(connection, tx, random),
                    < 18 => await CloseSavingsAsync(connection, tx, random),
                    _ => (false, (Action?)null),
                };
                if (commit)
                {
                    await tx.CommitAsync(CancellationToken.None);
                    committed?.Invoke();
                    Interlocked.Increment(ref _committed);
                }
                else
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    Interlocked.Increment(ref _rolledBack);
                }
            }
            catch (DbException e) when (IsTransient(e))
            {
                await tx.RollbackAsync(CancellationToken.None);
                Interlocked.Increment(ref _aborted);
            }
        }
    }

    /// <summary>Inserts, deletes and rearranges families until <paramref name="stop"/> is cancelled (one such writer only).</summary>
    public async Task BuildFamiliesAsync(DbConnection connection, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var families = new Dictionary<int, List<int>>();
        while (!stop.IsCancellationRequested)
        {
            await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
            var choice = random.Next(10);
            if (choice < 6 || families.Count < 3)
            {
                var parent = NextId();
                var children = Enumerable.Range(0, random.Next(1, 5)).Select(_ => NextId()).ToList();
                await ExecAsync(connection, tx, "INSERT INTO parents (id, children) VALUES (@p0, @p1)", parent, children.Count);
                foreach (var child in children)
                    await ExecAsync(connection, tx, "INSERT INTO children (id, parent_id) VALUES (@p0, @p1)", child, parent);
                if (choice == 0)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    Interlocked.Increment(ref _rolledBack);
                    continue;
                }
                families[parent] = children;
            }
            else if (choice < 8)
            {
                var parent = families.Keys.ElementAt(random.Next(families.Count));
                await ExecAsync(connection, tx, "DELETE FROM children WHERE parent_id = @p0", parent);
                await ExecAsync(connection, tx, "DELETE FROM parents WHERE id = @p0", parent);
                families.Remove(parent);
            }
            else
            {
                var crowded = families.Where(f => f.Value.Count > 1).Select(f => f.Key).ToList();
                if (crowded.Count == 0)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    continue;
                }
                var from = crowded[random.Next(crowded.Count)];
                var to = families.Keys.First(k => k != from);
                var child = families[from][0];
                await ExecAsync(connection, tx, "UPDATE children SET parent_id = @p1 WHERE id = @p0", child, to);
                await ExecAsync(connection, tx, "UPDATE parents SET children = children - 1 WHERE id = @p0", from);
                await ExecAsync(connection, tx, "UPDATE parents SET children = children + 1 WHERE id = @p0", to);
                families[from].Remove(child);
                families[to].Add(child);
            }
            await tx.CommitAsync(CancellationToken.None);
            Interlocked.Increment(ref _committed);
        }
    }

    /// <summary>
    /// Checks both invariants in ONE read transaction of the slave (PostgreSQL REPEATABLE READ, MariaDB consistent
    /// snapshot, SQLite deferred read transaction); returns what is broken (empty when both hold) and a fingerprint of
    /// the state seen (how many children exist).
    /// </summary>
    public static async Task<(IReadOnlyList<string> Broken, long Children)> CheckAsync(DbConnection slave, Vendor vendor)
    {
        await ExecAsync(slave, null, vendor switch
        {
            Vendor.PostgreSql => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            Vendor.MySql => "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
            _ => "BEGIN DEFERRED",
        });
        var broken = new List<string>();
        var checking = await ScalarAsync(slave, "SELECT COALESCE(SUM(amount), 0) FROM checking");
        var savings = await ScalarAsync(slave, "SELECT COALESCE(SUM(amount), 0) FROM savings");
        if (checking + savings != Total)
            broken.Add($"checking {checking} + savings {savings} = {checking + savings}, not {Total}");
        var orphans = await ScalarAsync(slave, "SELECT COUNT(*) FROM children c WHERE NOT EXISTS (SELECT 1 FROM parents p WHERE p.id = c.parent_id)");
        if (orphans != 0)
            broken.Add($"{orphans} child(ren) without their parent");
        var miscounted = await ScalarAsync(slave, "SELECT COUNT(*) FROM parents p WHERE p.children <> (SELECT COUNT(*) FROM children c WHERE c.parent_id = p.id)");
        if (miscounted != 0)
            broken.Add($"{miscounted} parent(s) whose children are not all there");
        var children = await ScalarAsync(slave, "SELECT COUNT(*) FROM children");
        await ExecAsync(slave, null, "COMMIT");
        return (broken, children);
    }

    /// <summary>Prepares a slave connection for <see cref="CheckAsync"/>.</summary>
    public static async Task PrepareReaderAsync(DbConnection slave, Vendor vendor)
    {
        // WITH CONSISTENT SNAPSHOT gives a snapshot only under REPEATABLE READ; say so rather than trust the server default.
        if (vendor == Vendor.MySql)
            await ExecAsync(slave, null, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    }

    private async Task<(bool, Action?)> TransferAsync(DbConnection c, DbTransaction tx, Random random)
    {
        // Always checking first, then savings: concurrent transfers lock rows in one order.
        var (from, to) = (Pick("checking", random), Pick("savings", random));
        var amount = random.Next(-300, 301);
        var ok = await ExecAsync(c, tx, "UPDATE checking SET amount = amount - @p1 WHERE id = @p0", from, amount) == 1
            && await ExecAsync(c, tx, "UPDATE savings SET amount = amount + @p1 WHERE id = @p0", to, amount) == 1;
        return (ok, null);
    }

    private async Task<(bool, Action?)> RenumberAsync(DbConnection c, DbTransaction tx, Random random)
    {
        var table = random.Next(2) == 0 ? "checking" : "savings";
        var old = Pick(table, random);
        var renumbered = NextId();
        var ok = await ExecAsync(c, tx, $"UPDATE {table} SET id = @p1 WHERE id = @p0", old, renumbered) == 1;
        return (ok, () => Replace(table, old, renumbered));
    }

    private async Task<(bool, Action?)> OpenSavingsAsync(DbConnection c, DbTransaction tx, Random random)
    {
        var from = Pick("checking", random);
        var opened = NextId();
        var amount = random.Next(1, 200);
        if (await ExecAsync(c, tx, "UPDATE checking SET amount = amount - @p1 WHERE id = @p0", from, amount) != 1)
            return (false, null);
        await ExecAsync(c, tx, "INSERT INTO savings (id, amount) VALUES (@p0, @p1)", opened, amount);
        return (true, () => Replace("savings", null, opened));
    }

    private async Task<(bool, Action?)> CloseSavingsAsync(DbConnection c, DbTransaction tx, Random random)
    {
        // Openings and closings are a random walk: never close the last few savings accounts, or Pick has none to pick.
        if (Count("savings") <= 4)
            return (false, null);
        var closed = Pick("savings", random);
        var into = Pick("checking", random);
        // Lock the checking row first, as transfers do, so that concurrent writers rarely deadlock.
        if (await ExecAsync(c, tx, "UPDATE checking SET amount = amount + 0 WHERE id = @p0", into) != 1)
            return (false, null);
        await using var read = c.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT amount FROM savings WHERE id = @p0 FOR UPDATE";
        AddParameter(read, 0, closed);
        if (await read.ExecuteScalarAsync() is not { } found)
            return (false, null);
        var amount = Convert.ToInt64(found, CultureInfo.InvariantCulture);
        await ExecAsync(c, tx, "DELETE FROM savings WHERE id = @p0", closed);
        await ExecAsync(c, tx, "UPDATE checking SET amount = amount + @p1 WHERE id = @p0", into, amount);
        return (true, () => Replace("savings", closed, null));
    }

    private int Pick(string table, Random random)
    {
        lock (_gate)
        {
            var ids = _accounts[table];
            return ids[random.Next(ids.Count)];
        }
    }

    private int Count(string table)
    {
        lock (_gate)
            return _accounts[table].Count;
    }

    private void Replace(string table, int? old, int? added)
    {
        lock (_gate)
        {
            if (old is { } o)
                _accounts[table].Remove(o);
            if (added is { } a)
                _accounts[table].Add(a);
        }
    }

    private int NextId() => Interlocked.Increment(ref _nextId);

    private static bool IsTransient(DbException e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        MySqlException m => m.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout,
        _ => false,
    };

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<int> ExecAsync(DbConnection connection, DbTransaction? tx, string sql, params object[] values)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
            AddParameter(command, i, values[i]);
        return await command.ExecuteNonQueryAsync();
    }

    private static void AddParameter(DbCommand command, int index, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + index.ToString(CultureInfo.InvariantCulture);
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
