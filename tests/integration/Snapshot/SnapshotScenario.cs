using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using Npgsql;
using Repl.Dialects;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Snapshot;

/// <summary>
/// A master with an AdminUsers table in snapshot mode (the book's table plus a Round column) and one slave, initialised
/// with repl init. Round r of <see cref="ChangeMasterAsync"/> leaves exactly <c>rows + r</c> rows, the known row
/// (UserID 1) at Round r, and other rows updated, deleted and inserted, so every snapshot has its own count.
/// </summary>
internal sealed class SnapshotScenario : IAsyncDisposable
{
    public const string Table = "AdminUsers";
    public const int KnownUser = 1;

    private SnapshotScenario(Replication replication, int rows)
    {
        Replication = replication;
        InitialRows = rows;
    }

    public Replication Replication { get; }

    public int InitialRows { get; }

    public Vendor Slave => Replication.Nodes[0].Vendor;

    public string Node => Replication.Nodes[0].Name;

    public SchemaDialect SlaveSchema => Replication.Dialect(Slave);

    public ISnapshotFlip Flip => VendorDialects.For(Slave).Snapshot;

    public SnapshotTwins Twins => Flip.Twins(new DbObjectName(null, Table));

    /// <summary>Creates the master table with <paramref name="rows"/> rows, a config with <c>AdminUsers</c> in snapshot mode, and runs init.</summary>
    public static async Task<SnapshotScenario> CreateAsync(Vendor master, Vendor slave, int rows, string test, bool init = true)
    {
        var replication = await Replication.CreateAsync(master, [slave], MasterSchema(master, rows), [(Table, "snapshot")], test);
        var scenario = new SnapshotScenario(replication, rows);
        if (init)
            await replication.ReplOkAsync("init");
        return scenario;
    }

    public static string[] MasterSchema(Vendor master, int rows) => master switch
    {
        Vendor.PostgreSql =>
        [
            """CREATE TABLE "AdminUsers" ("UserID" integer PRIMARY KEY, "UserName" varchar(32) NOT NULL UNIQUE, "Password" varchar(80) NOT NULL, "EmailAddress" varchar(255) NOT NULL, "Round" integer NOT NULL)""",
            $"""INSERT INTO "AdminUsers" SELECT g, 'user' || g, md5(g::text), 'user' || g || '@example.com', 0 FROM generate_series(1, {rows}) g""",
        ],
        Vendor.MySql =>
        [
            "CREATE TABLE AdminUsers (UserID integer PRIMARY KEY, UserName varchar(32) NOT NULL UNIQUE, Password varchar(80) NOT NULL, EmailAddress varchar(255) NOT NULL, Round integer NOT NULL)",
            $"INSERT INTO AdminUsers SELECT seq, CONCAT('user', seq), MD5(seq), CONCAT('user', seq, '@example.com'), 0 FROM seq_1_to_{rows}",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(master)),
    };

    /// <summary>Round <paramref name="round"/> of changes: net one more row, the known row at this round.</summary>
    public Task ChangeMasterAsync(int round) => Replication.Master switch
    {
        Vendor.PostgreSql => ExecuteOnMasterAsync(
            $"""UPDATE "AdminUsers" SET "Round" = {round}, "Password" = md5("Password") WHERE "UserID" = {KnownUser} OR "UserID" % 97 = {round % 97}""",
            $"""DELETE FROM "AdminUsers" WHERE "UserID" IN (SELECT "UserID" FROM "AdminUsers" WHERE "UserID" <> {KnownUser} ORDER BY "UserID" LIMIT 2)""",
            """INSERT INTO "AdminUsers" SELECT m + g, 'user' || (m + g), md5((m + g)::text), 'new' || (m + g) || '@example.com', 0 FROM (SELECT max("UserID") AS m FROM "AdminUsers") x, generate_series(1, 3) g"""),
        Vendor.MySql => ExecuteOnMasterAsync(
            $"UPDATE AdminUsers SET Round = {round}, Password = MD5(Password) WHERE UserID = {KnownUser} OR UserID % 97 = {round % 97}",
            $"DELETE FROM AdminUsers WHERE UserID <> {KnownUser} ORDER BY UserID LIMIT 2",
            "INSERT INTO AdminUsers SELECT m + seq, CONCAT('user', m + seq), MD5(m + seq), CONCAT('new', m + seq, '@example.com'), 0 FROM (SELECT MAX(UserID) AS m FROM AdminUsers) x, seq_1_to_3"),
        _ => throw new InvalidOperationException(),
    };

    private async Task ExecuteOnMasterAsync(params string[] statements)
    {
        foreach (var statement in statements)
            await Replication.ExecuteOnMasterAsync(statement);
    }

    public Task<DbConnection> OpenSlaveAsync() => Replication.OpenNodeAsync(Node);

    /// <summary>The reader's query: the row count and the known row's Round, read by ONE statement through the view.</summary>
    public string CountAndKnownSql()
    {
        var q = SlaveSchema.Identifiers;
        return $"SELECT COUNT(*), MAX(CASE WHEN {q.Quote("UserID")} = {KnownUser} THEN {q.Quote("Round")} END) FROM {q.Quote(Table)}";
    }

    /// <summary>The known row's Round read by key through the view, or null when the row is missing.</summary>
    public string KnownRowSql()
    {
        var q = SlaveSchema.Identifiers;
        return $"SELECT {q.Quote("Round")} FROM {q.Quote(Table)} WHERE {q.Quote("UserID")} = {KnownUser}";
    }

    /// <summary>What a reader of the view sees now: row count and the known row's Round (null when missing).</summary>
    public async Task<(long Count, long? KnownRound)> ReadViewAsync(DbConnection? connection = null)
    {
        var own = connection is null ? await OpenSlaveAsync() : null;
        try
        {
            await using var command = (connection ?? own!).CreateCommand();
            command.CommandText = CountAndKnownSql();
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    public async Task<long> CountAsync(DbObjectName table)
    {
        await using var connection = await OpenSlaveAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {SlaveSchema.Identifiers.Quote(table)}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task<long> MasterCountAsync()
    {
        await using var connection = await Replication.OpenMasterAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {Replication.Dialect(Replication.Master).Identifiers.Quote(Table)}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Which twin the view reads now (1 or 2), as repl itself determines it.</summary>
    public async Task<int?> LiveTwinAsync()
    {
        await using var connection = await OpenSlaveAsync();
        return await Flip.LiveTwinAsync(connection, null, Twins, CancellationToken.None);
    }

    /// <summary>Asserts that readers see exactly the snapshot of <paramref name="round"/>: its count, its known row, its live twin.</summary>
    public async Task AssertViewShowsRoundAsync(int round, int? liveTwin = null)
    {
        var (count, known) = await ReadViewAsync();
        Assert.Equal((InitialRows + round, (long?)round), (count, known));
        if (liveTwin is not null)
            Assert.Equal(liveTwin, await LiveTwinAsync());
    }

    /// <summary>Runs <c>repl snapshot AdminUsers</c> in-process and asserts it succeeded.</summary>
    public Task<TestSupport.RecordingOutput> SnapshotOkAsync() => Replication.ReplOkAsync("snapshot", Table);

    /// <summary>Starts the real repl executable (built next to the tests) as a child process with this scenario's config.</summary>
    public ReplProcess StartRepl(params string[] args) => ReplProcess.Start([.. args, "--config", Replication.ConfigPath]);

    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds; fails after <paramref name="what"/> never happened in a minute.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
                Assert.Fail($"waited a minute for {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// The server session id of repl's slave connection while it runs <paramref name="statementPrefix"/> (COPY, LOAD DATA,
    /// CREATE OR REPLACE VIEW), or null. PostgreSQL and MariaDB slaves only.
    /// </summary>
    public async Task<long?> SlaveSessionRunningAsync(string statementPrefix)
    {
        var (_, vendor, connectionString) = Replication.Nodes[0];
        if (vendor == Vendor.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(TestServers.PostgreSqlAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2 AND pid <> pg_backend_pid() LIMIT 1", connection);
            command.Parameters.AddWithValue(new NpgsqlConnectionStringBuilder(connectionString).Database!);
            command.Parameters.AddWithValue(statementPrefix + "%");
            return await command.ExecuteScalarAsync() is int pid ? pid : null;
        }
        await using (var connection = new MySqlConnection(TestServers.MySqlAdmin))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND INFO LIKE @info AND ID <> CONNECTION_ID() LIMIT 1", connection);
            command.Parameters.AddWithValue("@db", new MySqlConnectionStringBuilder(connectionString).Database);
            command.Parameters.AddWithValue("@info", statementPrefix + "%");
            return await command.ExecuteScalarAsync() is { } id and not DBNull ? Convert.ToInt64(id, CultureInfo.InvariantCulture) : null;
        }
    }

    /// <summary>Whether the master is streaming the snapshot's SELECT right now (the load is under way). PostgreSQL master.</summary>
    public async Task<bool> MasterReadRunningAsync()
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgreSqlAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND (query LIKE 'SELECT %AdminUsers%' OR query LIKE 'COPY (SELECT %AdminUsers%') AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue(new NpgsqlConnectionStringBuilder(Replication.MasterConnectionString).Database!);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Terminates a slave session as a server restart would (pg_terminate_backend / KILL CONNECTION).</summary>
    public async Task KillSlaveSessionAsync(long id)
    {
        if (Slave == Vendor.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(TestServers.PostgreSqlAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection);
            command.Parameters.AddWithValue((int)id);
            await command.ExecuteScalarAsync();
            return;
        }
        await using var maria = new MySqlConnection(TestServers.MySqlAdmin);
        await maria.OpenAsync();
        await using var kill = new MySqlCommand($"KILL CONNECTION {id.ToString(CultureInfo.InvariantCulture)}", maria);
        await kill.ExecuteNonQueryAsync();
    }

    /// <summary>Whether some session holds this table's snapshot lock on the slave (always false on SQLite, which has none).</summary>
    public async Task<bool> SnapshotLockHeldAsync()
    {
        await using var connection = await OpenSlaveAsync();
        await using var command = connection.CreateCommand();
        switch (Slave)
        {
            case Vendor.PostgreSql:
                command.CommandText = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
                return (long)(await command.ExecuteScalarAsync())! > 0;
            case Vendor.MySql:
                command.CommandText = $"SELECT IS_USED_LOCK(CONCAT('repl.snapshot.', SHA1(CONCAT(DATABASE(), '.', '{Table}')))) IS NOT NULL";
                return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 1;
            default:
                return false;
        }
    }

    /// <summary>Waits until no session holds the snapshot lock any more (a killed session is gone from the server).</summary>
    public Task WaitForSnapshotLockReleasedAsync() =>
        WaitUntilAsync(async () => !await SnapshotLockHeldAsync(), "the killed session's snapshot lock to be released");

    public ValueTask DisposeAsync() => Replication.DisposeAsync();
}

/// <summary>The real repl executable running as a child process, its output kept for failure messages.</summary>
internal sealed class ReplProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ReplProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join("\n", _output);

    public static ReplProcess Start(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "repl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var repl = new ReplProcess(Process.Start(start) ?? throw new InvalidOperationException("repl did not start"));
        repl._process.OutputDataReceived += (_, e) => repl.Keep(e.Data);
        repl._process.ErrorDataReceived += (_, e) => repl.Keep(e.Data);
        repl._process.BeginOutputReadLine();
        repl._process.BeginErrorReadLine();
        return repl;
    }

    /// <summary>SIGKILL, as the kernel's OOM killer or kill -9 would; waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
            _output.Enqueue(line);
    }
}
