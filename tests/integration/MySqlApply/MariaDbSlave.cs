using System.Globalization;
using System.Runtime.CompilerServices;
using MySqlConnector;
using Repl.Dialects;
using Repl.Dialects.MySql;
using MariaDbApply = Repl.Dialects.MySql.MySqlApply;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.IntegrationTests.MySqlApply;

/// <summary>
/// A MariaDB slave for one test: a fresh database, opened as repl opens it (MySqlSchema's options, local infile, user
/// variables, UTC session), holding one slave table created by MySqlDdl and its installed apply routine.
/// </summary>
internal sealed class MariaDbSlave : IAsyncDisposable
{
    public static SchemaDialect Dialect => MySqlSchema.Dialect;

    public static readonly MariaDbApply Apply = new(MySqlSchema.Dialect);

    public static readonly MySqlBulkLoad BulkLoad = new(MySqlSchema.Dialect);

    private MariaDbSlave(MySqlConnection connection, string connectionString, TableDefinition table)
    {
        Connection = connection;
        ConnectionString = connectionString;
        Table = table;
    }

    public MySqlConnection Connection { get; }

    public string ConnectionString { get; }

    public TableDefinition Table { get; }

    /// <summary>The slave table keeps the master's name, unqualified, in the connection's database.</summary>
    public DbObjectName Target => new(null, Table.Name.Name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<MariaDbSlave> CreateAsync(TableDefinition table, string suffix = "", [CallerMemberName] string test = "")
    {
        var connectionString = new MySqlConnectionStringBuilder(MySqlSchema.ConnectionString(await TestServers.NewMySqlDatabaseAsync(suffix, test)))
        {
            AllowLoadLocalInfile = true,
            AllowUserVariables = true,
        }.ConnectionString;
        var connection = await OpenAsync(connectionString);
        var slave = new MariaDbSlave(connection, connectionString, table);
        foreach (var statement in Dialect.Ddl.CreateTable(table, slave.Target).Concat(Apply.InstallRoutine(table, slave.Target)))
            await slave.ExecuteAsync(statement);
        return slave;
    }

    public static async Task<MySqlConnection> OpenAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var setup = new MySqlCommand(MySqlSchema.SessionSetupSql, connection);
        await setup.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    /// <summary>Applies the batches in one transaction through OpenAsync + ApplyAsync, then commits.</summary>
    public async Task ApplyAsync(params IReadOnlyList<ChangeRow>[] batches)
    {
        await using var transaction = await Connection.BeginTransactionAsync(Ct);
        await ApplyInAsync(transaction, batches);
        await transaction.CommitAsync(Ct);
    }

    public async Task ApplyInAsync(MySqlTransaction transaction, params IReadOnlyList<ChangeRow>[] batches)
    {
        await using var applier = await Apply.OpenAsync(Connection, transaction, Table, Target, Ct);
        foreach (var batch in batches)
            await applier.ApplyAsync(batch, Ct);
    }

    public async Task ExecuteAsync(string sql, MySqlTransaction? transaction = null)
    {
        await using var command = new MySqlCommand(sql, Connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = new MySqlCommand(sql, Connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>Every row of the slave table as canonical values, read through MySqlValues.</summary>
    public async Task<List<object?[]>> RowsAsync(string? where = null)
    {
        var columns = Table.Columns;
        var select = string.Join(", ", columns.Select(c => MySqlValues.ReadExpression(Dialect.Identifiers.Quote(c.Name), c.Type)));
        await using var command = new MySqlCommand($"SELECT {select} FROM {Dialect.Identifiers.Quote(Target)}{(where is null ? "" : " WHERE " + where)}", Connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
            rows.Add(columns.Select((c, i) => Dialect.Values.Read(reader, i, c.Type)).ToArray());
        return rows;
    }

    /// <summary>Asserts the slave table holds exactly <paramref name="expected"/> (any order), comparing canonical values.</summary>
    public async Task AssertRowsAsync(params object?[][] expected)
    {
        var actual = await RowsAsync();
        Assert.Equal(Normalize(expected), Normalize(actual));
    }

    public static List<string> Normalize(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join(" | ", r.Select(Show))).Order(StringComparer.Ordinal).ToList();

    public static string Show(object? value) => value switch
    {
        null => "NULL",
        byte[] b => "0x" + Convert.ToHexString(b),
        string s => "'" + s.Replace("\0", "\\0", StringComparison.Ordinal) + "'",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture) + " " + d.Kind,
        float f => "float " + f.ToString("R", CultureInfo.InvariantCulture),
        double d => "double " + d.ToString("R", CultureInfo.InvariantCulture),
        // Equal decimals may differ in scale (1.5 and 1.500, as a decimal(12,3) column returns it).
        decimal m => "Decimal " + m.ToString("G29", CultureInfo.InvariantCulture),
        IFormattable f => value.GetType().Name + " " + f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.GetType().Name + " " + value,
    };

    /// <summary>A row that exists on the master: every value, in column order.</summary>
    public static ChangeRow Present(params object?[] values) => new(true, values);

    /// <summary>A key gone from the master: only the key columns set, the rest NULL, as the replay cycle builds it.</summary>
    public ChangeRow Gone(params object?[] keyValues)
    {
        var values = new object?[Table.Columns.Count];
        for (var k = 0; k < Table.Key.Columns.Count; k++)
            values[Table.Columns.ToList().FindIndex(c => c.Name == Table.Key.Columns[k])] = keyValues[k];
        return new ChangeRow(false, values);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
