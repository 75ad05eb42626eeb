using System.Runtime.CompilerServices;
using MySqlConnector;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.IntegrationTests.MySql;

/// <summary>A fresh MariaDB database per test, opened the way repl opens it (MySqlSchema's options, UTC session).</summary>
internal static class MariaDb
{
    public static SchemaDialect Dialect => MySqlSchema.Dialect;

    public static IIdentifierRules Rules => MySqlSchema.Dialect.Identifiers;

    public static async Task<MySqlConnection> OpenAsync(string suffix = "", [CallerMemberName] string test = "") =>
        await OpenExistingAsync(await NewDatabaseAsync(suffix, test));

    /// <summary>The connection string of a fresh database, with MySqlSchema's options (an open connection forgets its password).</summary>
    public static async Task<string> NewDatabaseAsync(string suffix = "", [CallerMemberName] string test = "") =>
        MySqlSchema.ConnectionString(await TestServers.NewMySqlDatabaseAsync(suffix, test));

    public static async Task<MySqlConnection> OpenExistingAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(connection, MySqlSchema.SessionSetupSql);
        return connection;
    }

    public static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static Task<TableDefinition> ReadAsync(MySqlConnection connection, string table) =>
        Dialect.Catalog.ReadTableAsync(connection, new DbObjectName(null, table), TestContext.Current.CancellationToken);

    public static async Task CreateAsync(MySqlConnection connection, TableDefinition table, DbObjectName target)
    {
        foreach (var statement in Dialect.Ddl.CreateTable(table, target))
            await ExecuteAsync(connection, statement);
    }
}
