using System.Data;
using System.Data.Common;
using System.Globalization;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Properties;

/// <summary>
/// Runs a <see cref="History"/> on a fresh master with fresh PostgreSQL, MariaDB and SQLite slaves: the initial rows,
/// <c>repl init</c>, the steps on one connection per writer session, a <c>repl replay --once</c> of every node at each
/// <see cref="Replay"/> step and once at the end, and after each cycle every slave compared with the master's committed
/// rows by <see cref="Replication.AssertSlavesEqualMasterAsync"/> (a reader that does not use the apply path).
/// </summary>
internal static class HistoryRunner
{
    private static readonly TimeSpan CycleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The replicated tables.</summary>
    public static IReadOnlyList<(string Name, string Mode)> Tables => [("items", "log"), ("pairs", "log"), ("details", "log")];

    /// <summary>The master schema: integer key + UNIQUE code; composite varchar+int key with binary; a child table (no FOREIGN KEY: slaves have none and MariaDB cascades fire no triggers).</summary>
    public static IReadOnlyList<string> Schema(Vendor master) => master == Vendor.PostgreSql
        ?
        [
            "CREATE TABLE items (id integer PRIMARY KEY, code varchar(40) NOT NULL UNIQUE, note text)",
            "CREATE TABLE pairs (k1 varchar(20) NOT NULL, k2 integer NOT NULL, data bytea, label varchar(40), PRIMARY KEY (k1, k2))",
            "CREATE TABLE details (id integer PRIMARY KEY, item_id integer NOT NULL, memo text)",
            "CREATE INDEX details_item ON details (item_id)",
        ]
        :
        [
            "CREATE TABLE items (id int PRIMARY KEY, code varchar(40) NOT NULL UNIQUE, note text) ENGINE=InnoDB",
            "CREATE TABLE pairs (k1 varchar(20) NOT NULL, k2 int NOT NULL, data longblob, label varchar(40), PRIMARY KEY (k1, k2)) ENGINE=InnoDB",
            "CREATE TABLE details (id int PRIMARY KEY, item_id int NOT NULL, memo text, INDEX details_item (item_id)) ENGINE=InnoDB",
        ];

    /// <summary>Runs <paramref name="history"/> and throws, naming the step, if a slave ever differs from the master.</summary>
    public static async Task RunAsync(Vendor master, History history, string test)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            Schema(master), Tables, test);
        await using (var connection = await replication.OpenMasterAsync())
        {
            foreach (var op in HistoryModel.InitialRows)
                await ExecuteAsync(connection, null, op);
        }
        await replication.ReplOkAsync("init");

        var sessions = new Dictionary<int, (DbConnection Connection, DbTransaction? Transaction)>();
        try
        {
            for (var i = 0; i < history.Steps.Count; i++)
            {
                var step = history.Steps[i];
                try
                {
                    await StepAsync(replication, sessions, step);
                }
                catch (DbException e) when (step is not Replay)
                {
                    throw new InvalidOperationException(
                        $"The master refused step {i} ({step.ToText()}): the model let through a step the master does not take, " +
                        $"not a replication failure: {e.Message}", e);
                }
                catch (Exception e) when (e is not InvalidOperationException)
                {
                    throw new InvalidOperationException($"After step {i} ({step.ToText()}): {e.Message}", e);
                }
            }
            try
            {
                await ReplayAndCompareAsync(replication);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw new InvalidOperationException($"After the final replay cycle: {e.Message}", e);
            }
        }
        finally
        {
            foreach (var (connection, transaction) in sessions.Values)
            {
                if (transaction is not null)
                    await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/> for FsCheck, whose runner calls properties synchronously; the caller runs it on the
    /// thread pool so blocking here cannot deadlock a test synchronization context.
    /// </summary>
    public static void Run(Vendor master, History history, string test) => RunAsync(master, history, test).GetAwaiter().GetResult();

    private static async Task StepAsync(Replication replication, Dictionary<int, (DbConnection Connection, DbTransaction? Transaction)> sessions, Step step)
    {
        switch (step)
        {
            case Begin b:
                if (!sessions.TryGetValue(b.Session, out var session))
                    session = (await OpenSessionAsync(replication), null);
                sessions[b.Session] = (session.Connection, await session.Connection.BeginTransactionAsync(IsolationLevel.ReadCommitted));
                break;
            case Run r:
                await ExecuteAsync(sessions[r.Session].Connection, sessions[r.Session].Transaction, r.Op);
                break;
            case Commit c:
                await EndAsync(sessions, c.Session, commit: true);
                break;
            case Rollback r:
                await EndAsync(sessions, r.Session, commit: false);
                break;
            case Replay:
                await ReplayAndCompareAsync(replication);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "unknown step");
        }
    }

    private static async Task EndAsync(Dictionary<int, (DbConnection Connection, DbTransaction? Transaction)> sessions, int session, bool commit)
    {
        var (connection, transaction) = sessions[session];
        if (commit)
            await transaction!.CommitAsync();
        else
            await transaction!.RollbackAsync();
        await transaction.DisposeAsync();
        sessions[session] = (connection, null);
    }

    private static async Task ReplayAndCompareAsync(Replication replication)
    {
        foreach (var (node, _, _) in replication.Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once").WaitAsync(CycleTimeout);
        foreach (var (table, _) in Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
    }

    private static async Task<DbConnection> OpenSessionAsync(Replication replication)
    {
        var connection = await replication.OpenMasterAsync();
        // A step the model wrongly thinks free would otherwise wait forever on the session that holds the lock.
        await using var command = connection.CreateCommand();
        command.CommandText = replication.Master == Vendor.PostgreSql ? "SET lock_timeout = '10s'" : "SET SESSION innodb_lock_wait_timeout = 10";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, Op op)
    {
        foreach (var (sql, values) in op.Statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            await command.ExecuteNonQueryAsync();
        }
    }
}
