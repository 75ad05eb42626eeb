using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Dialects.Sqlite;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.IntegrationTests.SqliteApply;

/// <summary>
/// A fresh SQLite slave file for one test, opened the way repl opens a node (WAL, busy timeout), holding one table created
/// through the SQLite DDL. Applies batches through <see cref="Dialects.Sqlite.SqliteApply"/> and reads the table back
/// through the SQLite value codec.
/// </summary>
internal sealed class SqliteSlave : IAsyncDisposable
{
    public static readonly SchemaDialect Schema = SqliteSchema.Dialect;
    public static readonly Dialects.Sqlite.SqliteApply Apply = new(Schema);
    public static readonly SqliteBulkLoad BulkLoad = new(Schema);
    private static readonly DatabaseConnector Connector = new(new OracleDriver(new Dictionary<string, string?>()));

    private SqliteSlave(SqliteConnection connection, TableDefinition table)
    {
        Connection = connection;
        Table = table;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SqliteConnection Connection { get; }

    public TableDefinition Table { get; }

    public DbObjectName Target => Table.Name;

    public static ColumnDefinition Col(string name, CanonicalType type, bool nullable = true) => new(name, type, nullable, false, type.ToString());

    /// <summary>Opens a new slave file named after the test and creates <paramref name="table"/> on it.</summary>
    public static async Task<SqliteSlave> CreateAsync(TableDefinition table, [CallerMemberName] string test = "")
    {
        var node = new NodeConfig("local", Vendor.Sqlite, TestServers.NewSqliteDatabase(test: test));
        var connection = (SqliteConnection)await Connector.OpenAsync(node, Ct);
        foreach (var statement in Schema.Ddl.CreateTable(table, table.Name))
            await ExecuteAsync(connection, statement);
        return new SqliteSlave(connection, table);
    }

    /// <summary>Applies <paramref name="batches"/> in one transaction, one applier, and commits.</summary>
    public async Task ApplyAsync(params IReadOnlyList<ChangeRow>[] batches)
    {
        await using var transaction = await Connection.BeginTransactionAsync(Ct);
        await ApplyAsync(transaction, batches);
        await transaction.CommitAsync(Ct);
    }

    /// <summary>Applies <paramref name="batches"/> inside <paramref name="transaction"/>, one applier for all of them.</summary>
    public async Task ApplyAsync(System.Data.Common.DbTransaction transaction, params IReadOnlyList<ChangeRow>[] batches)
    {
        await using var applier = await Apply.OpenAsync(Connection, transaction, Table, Target, Ct);
        foreach (var batch in batches)
            await applier.ApplyAsync(batch, Ct);
    }

    /// <summary>Every row of the table, ordered by its key, read back as canonical values in table column order.</summary>
    public async Task<List<object?[]>> RowsAsync()
    {
        var names = Schema.Identifiers;
        await using var select = Connection.CreateCommand();
        select.CommandText = $"SELECT {string.Join(", ", Table.Columns.Select(c => names.Quote(c.Name)))} FROM {names.Quote(Target)} " +
                             $"ORDER BY {string.Join(", ", Table.Key.Columns.Select(names.Quote))}";
        await using var reader = await select.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
            rows.Add([.. Table.Columns.Select((c, i) => Schema.Values.Read(reader, i, c.Type))]);
        return rows;
    }

    /// <summary>Runs one statement and returns its first value.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
