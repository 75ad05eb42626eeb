using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Repl.Configuration;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Connections;

/// <summary>
/// Opens connections for every vendor, with the driver settings the bulk and apply paths depend on. Never pooled: repl
/// holds session locks (the node lock, the snapshot lock), and a pooled connection closed after a failure would go back
/// to the pool still holding them until the driver reset it on reuse, so the next attempt could find its node locked
/// by its own earlier session. repl opens few, long-lived connections; pooling would save it nothing.
/// </summary>
internal sealed class DatabaseConnector(OracleDriver oracle) : IDatabaseConnector
{
    /// <inheritdoc />
    public async Task<DbConnection> OpenAsync(IDatabaseConfig database, CancellationToken cancellationToken)
    {
        var connection = Create(database);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection sqlite)
                await PrepareSqliteAsync(sqlite, cancellationToken);
            if (connection is MySqlConnection mysql)
                await PrepareMySqlAsync(mysql, cancellationToken);
            return connection;
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            await connection.DisposeAsync();
            throw Failure(database, e);
        }
    }

    private DbConnection Create(IDatabaseConfig database)
    {
        try
        {
            return database.Provider switch
            {
                // Error details name the failing row or key ("Failing row contains (...)", "Key (id)=(7) already exists"),
                // which an operator needs to repair a slave; Npgsql hides them unless asked. They hold row data, never
                // connection secrets.
                Vendor.PostgreSql => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString)
                {
                    Pooling = false,
                    IncludeErrorDetail = true,
                }.ConnectionString),
                // LOAD DATA LOCAL and MySqlBulkCopy need local infile; the apply routines use @variables.
                Vendor.MySql => new MySqlConnection(new MySqlConnectionStringBuilder(MySqlSchema.ConnectionString(database.ConnectionString))
                {
                    AllowLoadLocalInfile = true,
                    AllowUserVariables = true,
                    Pooling = false,
                }.ConnectionString),
                Vendor.Sqlite => new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString),
                Vendor.Oracle => CreateOracle(new DbConnectionStringBuilder { ConnectionString = database.ConnectionString, ["Pooling"] = "false" }.ConnectionString),
                _ => throw new ArgumentOutOfRangeException(nameof(database), database.Provider, "unknown vendor"),
            };
        }
        catch (Exception e) when (e is ArgumentException or ReplException)
        {
            throw Failure(database, e);
        }
    }

    // TimestampTz values are UTC; MariaDB converts TIMESTAMP columns to the session time zone.
    private static async Task PrepareMySqlAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(MySqlSchema.SessionSetupSql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbConnection CreateOracle(string connectionString)
    {
        var connection = oracle.Factory.CreateConnection()
            ?? throw new ReplException($"{OracleDriver.FactoryTypeName} created no connection; the installed Oracle driver is not usable.");
        connection.ConnectionString = connectionString;
        return connection;
    }

    private static async Task PrepareSqliteAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers of a slave file go on while replay writes; the busy timeout makes a second writer wait instead of
        // failing; foreign keys stay off because replay applies tables in no particular order.
        var timeout = new SqliteConnectionStringBuilder(connection.ConnectionString).DefaultTimeout * 1000;
        await using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {timeout}; PRAGMA foreign_keys = OFF;");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is DbException or ArgumentException or InvalidOperationException or TimeoutException or IOException or SocketException or ReplException;

    private static ReplException Failure(IDatabaseConfig database, Exception e)
    {
        var connectionString = database.ConnectionString;
        var message = ConnectionStrings.Scrub(e.Message, ConnectionStrings.Secrets(connectionString));
        // A missing driver already says what to do; anything else is the server or the connection string.
        var advice = e is ReplException
            ? ""
            : $" Check the server and {database.KeyPath}:connectionString (or the environment variable {EnvironmentOverrides.VariableName(database.KeyPath + ":connectionString")}).";
        return new ReplException(
            $"cannot connect to {database.Label} ({VendorNames.Of(database.Provider)}, {ConnectionStrings.Redact(connectionString)}): {message}{advice}",
            e);
    }
}
