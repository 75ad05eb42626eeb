using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Repl.Cli;
using Repl.Configuration;
using Repl.Schema;
using Repl.Schema.MySql;
using Repl.Schema.PostgreSql;
using Repl.Schema.Sqlite;
using Repl.TestSupport;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// A master and some slaves on the test servers, a repl.json that names them, and the repl command line run in-process
/// against it — the way an operator uses repl, minus the process boundary.
/// </summary>
internal sealed class Replication : IAsyncDisposable
{
    private readonly string _directory;

    private Replication(Vendor master, string masterConnectionString, IReadOnlyList<(string Name, Vendor Vendor, string ConnectionString)> nodes,
        IReadOnlyList<(string Name, string Mode)> tables, string directory)
    {
        Master = master;
        MasterConnectionString = masterConnectionString;
        Nodes = nodes;
        _directory = directory;
        ConfigPath = Path.Combine(directory, "repl.json");
        File.WriteAllText(ConfigPath, ReplConfigFile.Json(master, masterConnectionString, nodes, tables));
    }

    /// <summary>The master's vendor.</summary>
    public Vendor Master { get; }

    /// <summary>The master database.</summary>
    public string MasterConnectionString { get; }

    /// <summary>The slaves: name, vendor, connection string.</summary>
    public IReadOnlyList<(string Name, Vendor Vendor, string ConnectionString)> Nodes { get; }

    /// <summary>The repl.json written for this scenario.</summary>
    public string ConfigPath { get; }

    /// <summary>
    /// Creates fresh databases for the master and one slave per vendor in <paramref name="slaves"/> (named after the
    /// vendor: pg, maria, lite), runs <paramref name="masterSchema"/> on the master and writes the config.
    /// </summary>
    public static async Task<Replication> CreateAsync(Vendor master, IReadOnlyList<Vendor> slaves, IReadOnlyList<string> masterSchema,
        IReadOnlyList<(string Name, string Mode)> tables, [CallerMemberName] string test = "")
    {
        var masterCs = await NewDatabaseAsync(master, "master", test);
        var nodes = new List<(string, Vendor, string)>();
        foreach (var slave in slaves)
            nodes.Add((NodeName(slave), slave, await NewDatabaseAsync(slave, NodeName(slave), test)));
        var directory = Path.Combine(Path.GetTempPath(), "repl-tests", TestServers.DatabaseName(test));
        Directory.CreateDirectory(directory);
        var replication = new Replication(master, masterCs, nodes, tables, directory);
        foreach (var sql in masterSchema)
            await replication.ExecuteOnMasterAsync(sql);
        return replication;
    }

    /// <summary>The node name used for a slave vendor.</summary>
    public static string NodeName(Vendor vendor) => vendor switch
    {
        Vendor.PostgreSql => "pg",
        Vendor.MySql => "maria",
        Vendor.Sqlite => "lite",
        _ => "ora",
    };

    /// <summary>Runs <c>repl</c> with <paramref name="args"/> and <c>--config</c> pointing at this scenario.</summary>
    public async Task<(int ExitCode, RecordingOutput Output)> ReplAsync(params string[] args)
    {
        var output = new RecordingOutput();
        var commandLine = new ReplCommandLine(output, new Dictionary<string, string?>());
        var exit = await commandLine.InvokeAsync([.. args, "--config", ConfigPath]);
        return (exit, output);
    }

    /// <summary>Runs <c>repl</c> and fails the test, showing what it printed, unless it exits 0.</summary>
    public async Task<RecordingOutput> ReplOkAsync(params string[] args)
    {
        var (exit, output) = await ReplAsync(args);
        Assert.True(exit == 0, $"repl {string.Join(' ', args)} exited {exit}:\n{output.Text}\n{output.ErrorText}");
        return output;
    }

    /// <summary>Opens a connection to the master.</summary>
    public Task<DbConnection> OpenMasterAsync() => OpenAsync(Master, MasterConnectionString);

    /// <summary>Opens a connection to a node.</summary>
    public Task<DbConnection> OpenNodeAsync(string node)
    {
        var (_, vendor, cs) = Nodes.Single(n => n.Name == node);
        return OpenAsync(vendor, cs);
    }

    /// <summary>Runs one statement on the master.</summary>
    public async Task ExecuteOnMasterAsync(string sql)
    {
        await using var connection = await OpenMasterAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Asserts that every node's copy of <paramref name="table"/> equals the master's, read independently of the apply
    /// path; the failure lists the differing keys.
    /// </summary>
    public async Task AssertSlavesEqualMasterAsync(string table)
    {
        var masterDialect = Dialect(Master);
        await using var master = await OpenMasterAsync();
        var found = await masterDialect.Catalog.FindTablesAsync(master, new DbObjectName(null, table), CancellationToken.None);
        var definition = await masterDialect.Catalog.ReadTableAsync(master, Assert.Single(found), CancellationToken.None);
        var masterRows = await RowComparer.ReadAsync(master, masterDialect, definition, definition.Name);
        foreach (var (name, vendor, _) in Nodes)
        {
            await using var slave = await OpenNodeAsync(name);
            var slaveRows = await RowComparer.ReadAsync(slave, Dialect(vendor), definition, new DbObjectName(null, definition.Name.Name));
            var differences = RowComparer.Differences(masterRows, slaveRows, definition);
            Assert.True(differences.Count == 0, $"node {name} ({vendor}) differs from the master in {table}:\n{string.Join("\n", differences)}");
        }
    }

    /// <summary>The schema dialect of a vendor.</summary>
    public static SchemaDialect Dialect(Vendor vendor) => vendor switch
    {
        Vendor.PostgreSql => PostgreSqlSchema.Dialect,
        Vendor.MySql => MySqlSchema.Dialect,
        Vendor.Sqlite => SqliteSchema.Dialect,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    /// <summary>Opens a connection as repl would (MariaDB: UTC session, GuidFormat=None).</summary>
    public static async Task<DbConnection> OpenAsync(Vendor vendor, string connectionString)
    {
        DbConnection connection = vendor switch
        {
            Vendor.PostgreSql => new NpgsqlConnection(connectionString),
            Vendor.MySql => new MySqlConnection(MySqlSchema.ConnectionString(connectionString)),
            Vendor.Sqlite => new SqliteConnection(connectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
        };
        await connection.OpenAsync();
        if (vendor == Vendor.MySql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = MySqlSchema.SessionSetupSql;
            await command.ExecuteNonQueryAsync();
        }
        return connection;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        return ValueTask.CompletedTask;
    }

    private static Task<string> NewDatabaseAsync(Vendor vendor, string role, string test) => vendor switch
    {
        Vendor.PostgreSql => TestServers.NewPostgreSqlDatabaseAsync(role, test),
        Vendor.MySql => TestServers.NewMySqlDatabaseAsync(role, test),
        Vendor.Sqlite => Task.FromResult(TestServers.NewSqliteDatabase(role, test)),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };
}
