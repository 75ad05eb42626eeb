using System.Runtime.CompilerServices;
using Npgsql;
using Repl.IntegrationTests.Infrastructure;

namespace Repl.IntegrationTests.PostgreSql;

/// <summary>An open, unpooled connection to a fresh PostgreSQL database named after the calling test.</summary>
internal static class PostgreSqlDatabase
{
    public static async Task<NpgsqlConnection> OpenAsync(string suffix = "", [CallerMemberName] string test = "")
    {
        // Unpooled: a theory's next row drops and recreates the same database, which kills any pooled connection to it.
        var builder = new NpgsqlConnectionStringBuilder(await TestServers.NewPostgreSqlDatabaseAsync(suffix, test)) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
