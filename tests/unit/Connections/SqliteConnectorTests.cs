using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Repl.Configuration;
using Repl.Connections;
using Repl.Schema;

namespace Repl.Tests.Connections;

public sealed class SqliteConnectorTests
{
    private static readonly DatabaseConnector Connector = new(new OracleDriver(new Dictionary<string, string?>()));

    private static string NewFile([CallerMemberName] string test = "")
    {
        var folder = Path.Combine(Path.GetTempPath(), "repl-unit-tests", test + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "replica.db");
    }

    private static async Task<string> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task Sqlite_node_file_is_created_in_wal_mode_with_a_busy_timeout_and_foreign_keys_off()
    {
        var file = NewFile();
        var node = new NodeConfig("local", Vendor.Sqlite, new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, ForeignKeys = true }.ConnectionString);

        await using var connection = await Connector.OpenAsync(node, TestContext.Current.CancellationToken);

        Assert.True(File.Exists(file));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal("30000", await ScalarAsync(connection, "PRAGMA busy_timeout"));
        Assert.Equal("0", await ScalarAsync(connection, "PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Sqlite_busy_timeout_follows_the_default_timeout_of_the_connection_string()
    {
        var node = new NodeConfig("local", Vendor.Sqlite, $"Data Source={NewFile()};Pooling=False;Default Timeout=7");

        await using var connection = await Connector.OpenAsync(node, TestContext.Current.CancellationToken);

        Assert.Equal("7000", await ScalarAsync(connection, "PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Sqlite_file_that_cannot_be_created_names_the_node()
    {
        var missingFolder = Path.Combine(Path.GetTempPath(), "repl-unit-tests", Guid.NewGuid().ToString("N"), "replica.db");
        var node = new NodeConfig("local", Vendor.Sqlite, $"Data Source={missingFolder};Password=cipher99");

        var e = await Assert.ThrowsAsync<ReplException>(() => Connector.OpenAsync(node, TestContext.Current.CancellationToken));

        Assert.StartsWith($"cannot connect to node local (sqlite, Data Source={missingFolder};Password=***): ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the server and nodes:local:connectionString (or the environment variable REPL_nodes__local__connectionString).", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cipher99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_connection_string_is_reported_naming_the_database_without_its_password()
    {
        var master = new MasterConfig(Vendor.PostgreSql, "Host=db;Password=pw-1234;Nonsense Keyword=1");

        var e = await Assert.ThrowsAsync<ReplException>(() => Connector.OpenAsync(master, TestContext.Current.CancellationToken));

        Assert.StartsWith("cannot connect to master (postgresql, Host=db;Password=***;Nonsense Keyword=1): ", e.Message, StringComparison.Ordinal);
        Assert.Contains("nonsense keyword", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pw-1234", e.Message, StringComparison.Ordinal);
    }
}
