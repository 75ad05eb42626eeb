using System.Data.Common;
using MySqlConnector;
using Npgsql;
using Repl.Configuration;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.MySql;
using Repl.Schema.PostgreSql;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// A master and its slaves on a <see cref="PrivateServers"/> pair, with the repl.json naming them, and an independent
/// comparison of every slave with the master. Free of the test framework, so the bench's long-run chaos mode uses it too.
/// </summary>
internal sealed class FaultBed
{
    private FaultBed(Vendor master, string masterConnectionString, IReadOnlyList<(string Name, Vendor Vendor, string ConnectionString)> nodes,
        IReadOnlyList<(string Name, string Mode)> tables, string configPath)
    {
        Master = master;
        MasterConnectionString = masterConnectionString;
        Nodes = nodes;
        Tables = tables;
        ConfigPath = configPath;
    }

    /// <summary>The master's vendor.</summary>
    public Vendor Master { get; }

    /// <summary>The master database.</summary>
    public string MasterConnectionString { get; }

    /// <summary>The slaves: name (pg or maria), vendor, connection string.</summary>
    public IReadOnlyList<(string Name, Vendor Vendor, string ConnectionString)> Nodes { get; }

    /// <summary>The configured tables.</summary>
    public IReadOnlyList<(string Name, string Mode)> Tables { get; }

    /// <summary>The repl.json of this bed.</summary>
    public string ConfigPath { get; }

    /// <summary>
    /// Creates the master database <paramref name="name"/>_master and one slave database per vendor in
    /// <paramref name="slaves"/>, runs <paramref name="masterSchema"/> on the master and writes the config.
    /// </summary>
    public static async Task<FaultBed> CreateAsync(PrivateServers servers, Vendor master, IReadOnlyList<Vendor> slaves,
        IReadOnlyList<string> masterSchema, IReadOnlyList<(string Name, string Mode)> tables, string name, CancellationToken cancellationToken)
    {
        var masterCs = await NewDatabaseAsync(servers, master, name + "_master", cancellationToken);
        var nodes = new List<(string, Vendor, string)>();
        foreach (var slave in slaves)
        {
            var node = slave == Vendor.PostgreSql ? "pg" : "maria";
            nodes.Add((node, slave, await NewDatabaseAsync(servers, slave, name + "_" + node, cancellationToken)));
        }
        var directory = Path.Combine(Path.GetTempPath(), "repl-faults", name);
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "repl.json");
        await File.WriteAllTextAsync(configPath, ReplConfigFile.Json(master, masterCs, nodes, tables), cancellationToken);
        var bed = new FaultBed(master, masterCs, nodes, tables, configPath);
        await using var connection = await bed.OpenMasterAsync(cancellationToken);
        foreach (var sql in masterSchema)
            await ExecuteAsync(connection, sql, cancellationToken);
        return bed;
    }

    /// <summary>Opens a connection to the master.</summary>
    public Task<DbConnection> OpenMasterAsync(CancellationToken cancellationToken) => OpenAsync(Master, MasterConnectionString, cancellationToken);

    /// <summary>Opens a connection to a node.</summary>
    public Task<DbConnection> OpenNodeAsync(string node, CancellationToken cancellationToken)
    {
        var (_, vendor, cs) = Nodes.Single(n => n.Name == node);
        return OpenAsync(vendor, cs, cancellationToken);
    }

    /// <summary>
    /// Compares every node's copy of <paramref name="table"/> (for snapshot tables: the view) with the master's, read
    /// independently of the apply path: the master rows compared per node and the differing rows, with up to 20 lines each.
    /// </summary>
    public async Task<(long Compared, long Differing, IReadOnlyList<string> Differences)> CompareAsync(string table, CancellationToken cancellationToken)
    {
        var masterDialect = Dialect(Master);
        await using var master = await OpenMasterAsync(cancellationToken);
        var found = await masterDialect.Catalog.FindTablesAsync(master, new DbObjectName(null, table), cancellationToken);
        var definition = await masterDialect.Catalog.ReadTableAsync(master, found.Single(), cancellationToken);
        var masterRows = await RowComparer.ReadAsync(master, masterDialect, definition, definition.Name);
        long compared = 0, differing = 0;
        var lines = new List<string>();
        foreach (var (name, vendor, _) in Nodes)
        {
            await using var slave = await OpenNodeAsync(name, cancellationToken);
            var slaveRows = await RowComparer.ReadAsync(slave, Dialect(vendor), definition, new DbObjectName(null, definition.Name.Name));
            compared += masterRows.Count;
            differing += masterRows.Count(m => !slaveRows.TryGetValue(m.Key, out var other) || !m.Value.SequenceEqual(other, SameValue.Instance))
                + slaveRows.Keys.Count(k => !masterRows.ContainsKey(k));
            lines.AddRange(RowComparer.Differences(masterRows, slaveRows, definition).Select(d => $"node {name} ({vendor}) table {table}: {d}"));
        }
        return (compared, differing, lines);
    }

    /// <summary>Runs one statement.</summary>
    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs one query and returns its first value.</summary>
    public static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>The schema dialect of a vendor.</summary>
    public static SchemaDialect Dialect(Vendor vendor) => vendor == Vendor.PostgreSql ? PostgreSqlSchema.Dialect : MySqlSchema.Dialect;

    /// <summary>Opens a connection as repl would (MariaDB: UTC session, GuidFormat=None).</summary>
    public static async Task<DbConnection> OpenAsync(Vendor vendor, string connectionString, CancellationToken cancellationToken)
    {
        DbConnection connection = vendor == Vendor.PostgreSql
            ? new NpgsqlConnection(connectionString)
            : new MySqlConnection(MySqlSchema.ConnectionString(connectionString));
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (vendor == Vendor.MySql)
                await ExecuteAsync(connection, MySqlSchema.SessionSetupSql, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static Task<string> NewDatabaseAsync(PrivateServers servers, Vendor vendor, string name, CancellationToken cancellationToken) =>
        vendor == Vendor.PostgreSql ? servers.NewPostgreSqlDatabaseAsync(name, cancellationToken) : servers.NewMySqlDatabaseAsync(name, cancellationToken);

    private sealed class SameValue : IEqualityComparer<object?>
    {
        public static readonly SameValue Instance = new();

        bool IEqualityComparer<object?>.Equals(object? x, object? y) => RowComparer.SameValue(x, y);

        int IEqualityComparer<object?>.GetHashCode(object? obj) => 0;
    }
}
