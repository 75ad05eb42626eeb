using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// Hands each test a fresh, empty database on the private servers started by eng/servers.sh, named after the test
/// so tests never collide. Without a server the test is skipped, except under CI=true where it fails.
/// </summary>
public static class TestServers
{
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Connection string of the PostgreSQL server's maintenance database.</summary>
    public static string PostgreSqlAdmin => Require("REPL_TEST_PG", "PostgreSQL");

    /// <summary>Connection string of the MariaDB server (no database selected).</summary>
    public static string MySqlAdmin => Require("REPL_TEST_MYSQL", "MariaDB");

    /// <summary>Creates (dropping any leftover) a PostgreSQL database for the calling test and returns its connection string.</summary>
    public static async Task<string> NewPostgreSqlDatabaseAsync(string suffix = "", [CallerMemberName] string test = "")
    {
        var name = DatabaseName(test, suffix);
        await using (var admin = new NpgsqlConnection(PostgreSqlAdmin))
        {
            await OpenOrFailAsync(admin, "PostgreSQL");
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        // A theory's rows share one database name: pooled connections to the dropped database must not be reused.
        NpgsqlConnection.ClearAllPools();
        return new NpgsqlConnectionStringBuilder(PostgreSqlAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Installs repl's optional C capture extension (ext/postgresql, built and installed by eng/servers.sh) in the
    /// PostgreSQL database <paramref name="connectionString"/> names. Skips the test when the server lacks it (eng/servers.sh
    /// could not build it: no root, no compiler), except under CI=true where it fails.
    /// </summary>
    public static async Task CreateCaptureExtensionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await OpenOrFailAsync(connection, "PostgreSQL");
        await using var available = new NpgsqlCommand("SELECT count(*) FROM pg_available_extensions WHERE name = 'repl_capture'", connection);
        if (Convert.ToInt64(await available.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            const string why = "The PostgreSQL test server has no repl_capture extension: eng/servers.sh up builds and installs it from " +
                "ext/postgresql (as root, with postgresql-server-dev-15 and a C compiler).";
            if (InCi)
                Assert.Fail(why);
            Assert.Skip(why);
        }
        await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS repl_capture", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Creates (dropping any leftover) a MariaDB database for the calling test and returns its connection string.</summary>
    public static async Task<string> NewMySqlDatabaseAsync(string suffix = "", [CallerMemberName] string test = "")
    {
        var name = DatabaseName(test, suffix);
        await using (var admin = new MySqlConnection(MySqlAdmin))
        {
            await OpenOrFailAsync(admin, "MariaDB");
            await using var cmd = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        await MySqlConnection.ClearAllPoolsAsync();
        return new MySqlConnectionStringBuilder(MySqlAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>A fresh SQLite database file for the calling test.</summary>
    public static string NewSqliteDatabase(string suffix = "", [CallerMemberName] string test = "")
    {
        var dir = Path.Combine(Path.GetTempPath(), "repl-tests");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, DatabaseName(test, suffix) + ".db");
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
            File.Delete(f);
        return new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
    }

    /// <summary>A lower-case database name from the test name, shortened with a hash to fit every vendor's limit.</summary>
    public static string DatabaseName(string test, string suffix = "")
    {
        var full = (test + (suffix.Length > 0 ? "_" + suffix : "")).ToLowerInvariant();
        var clean = new string(full.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)), 0, 4).ToLowerInvariant();
        return "t_" + (clean.Length > 40 ? clean[..40] : clean) + "_" + hash;
    }

    private static string Require(string variable, string server)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
            return value;
        var why = $"{variable} is not set: start the {server} test server with `eval \"$(eng/servers.sh env)\"` after `eng/servers.sh up` (./test.sh does both).";
        if (InCi)
            Assert.Fail(why);
        Assert.Skip(why);
        return "";
    }

    private static async Task OpenOrFailAsync(System.Data.Common.DbConnection connection, string server)
    {
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or MySqlException or System.Net.Sockets.SocketException)
        {
            var why = $"The {server} test server does not answer ({e.Message}); run eng/servers.sh up.";
            if (InCi)
                Assert.Fail(why);
            Assert.Skip(why);
        }
    }
}
