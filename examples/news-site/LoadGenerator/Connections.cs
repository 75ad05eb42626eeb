using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Examples.NewsSite;

/// <summary>Opens a connection to a database of the example, the way repl opens it (MariaDB: UTC session, GuidFormat=None).</summary>
internal static class Connections
{
    /// <summary>Opens <paramref name="database"/>.</summary>
    public static async Task<DbConnection> OpenAsync(NewsDatabase database, CancellationToken cancellationToken)
    {
        DbConnection connection = database.Vendor switch
        {
            Vendor.PostgreSql => new NpgsqlConnection(database.ConnectionString),
            Vendor.MySql => new MySqlConnection(MySqlSchema.ConnectionString(database.ConnectionString)),
            Vendor.Sqlite => new SqliteConnection(database.ConnectionString),
            _ => throw new InvalidOperationException($"{database.Name}: {database.Vendor} is not supported by the load generator"),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (database.Vendor == Vendor.MySql)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = MySqlSchema.SessionSetupSql;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
