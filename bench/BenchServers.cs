using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Npgsql;
using Repl.Schema.MySql;

namespace Repl.Bench;

/// <summary>Fresh databases on the servers started by eng/servers.sh (connection strings from `eng/servers.sh env`).</summary>
internal static class BenchServers
{
    public static string PostgreSqlAdmin => Environment.GetEnvironmentVariable("REPL_TEST_PG")
        ?? throw new InvalidOperationException("REPL_TEST_PG is not set: run `bash eng/servers.sh up && eval \"$(bash eng/servers.sh env)\"` first.");

    public static string MySqlAdmin => Environment.GetEnvironmentVariable("REPL_TEST_MYSQL")
        ?? throw new InvalidOperationException("REPL_TEST_MYSQL is not set: run `bash eng/servers.sh up && eval \"$(bash eng/servers.sh env)\"` first.");

    public static string PgBin => Environment.GetEnvironmentVariable("REPL_TEST_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    /// <summary>
    /// Creates repl's optional C capture extension (ext/postgresql) in the PostgreSQL database <paramref name="cs"/>
    /// names, when the server has it (eng/servers.sh up installs it as root); false when it does not.
    /// </summary>
    public static async Task<bool> TryCreateCaptureExtensionAsync(string cs)
    {
        await using var c = await OpenPostgreSqlAsync(cs);
        if (Convert.ToInt64(await Scalar(c, "SELECT count(*) FROM pg_available_extensions WHERE name = 'repl_capture'"), CultureInfo.InvariantCulture) == 0)
            return false;
        await Exec(c, "CREATE EXTENSION IF NOT EXISTS repl_capture");
        return true;
    }

    public static async Task<string> NewPostgreSqlAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(PostgreSqlAdmin))
        {
            await admin.OpenAsync();
            await Exec(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            await Exec(admin, $"CREATE DATABASE \"{name}\"");
        }
        NpgsqlConnection.ClearAllPools();
        return new NpgsqlConnectionStringBuilder(PostgreSqlAdmin) { Database = name }.ConnectionString;
    }

    public static async Task<string> NewMySqlAsync(string name)
    {
        await using (var admin = new MySqlConnection(MySqlAdmin))
        {
            await admin.OpenAsync();
            await Exec(admin, $"DROP DATABASE IF EXISTS `{name}`");
            await Exec(admin, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        await MySqlConnection.ClearAllPoolsAsync();
        return new MySqlConnectionStringBuilder(MySqlSchema.ConnectionString(MySqlAdmin)) { Database = name, AllowLoadLocalInfile = true }.ConnectionString;
    }

    public static async Task<DbConnection> OpenPostgreSqlAsync(string cs)
    {
        var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        return c;
    }

    public static async Task<DbConnection> OpenMySqlAsync(string cs)
    {
        var c = new MySqlConnection(cs);
        await c.OpenAsync();
        await Exec(c, MySqlSchema.SessionSetupSql);
        return c;
    }

    public static async Task Exec(DbConnection connection, string sql, DbTransaction? tx = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> Scalar(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync();
    }
}
