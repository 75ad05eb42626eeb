using System.Runtime.CompilerServices;
using Npgsql;
using Repl.Dialects;
using Repl.IntegrationTests.PostgreSql;
using Repl.Schema;
using Repl.Schema.PostgreSql;
using PgApply = Repl.Dialects.PostgreSql.PostgreSqlApply;

namespace Repl.IntegrationTests.PostgreSqlApply;

/// <summary>
/// A slave table created through the PostgreSQL DDL with its apply routine installed, in a fresh database named after
/// the calling test; applies batches through <see cref="PgApply"/> and reads the table back as canonical values.
/// </summary>
internal sealed class ApplyHarness : IAsyncDisposable
{
    public static readonly SchemaDialect Pg = PostgreSqlSchema.Dialect;
    public static readonly PgApply Apply = new(Pg);

    private ApplyHarness(NpgsqlConnection connection, TableDefinition table, DbObjectName target)
    {
        Connection = connection;
        Table = table;
        Target = target;
    }

    public NpgsqlConnection Connection { get; }
    public TableDefinition Table { get; }
    public DbObjectName Target { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ApplyHarness> CreateAsync(TableDefinition table, [CallerMemberName] string test = "")
    {
        var connection = await PostgreSqlDatabase.OpenAsync(test: test);
        var target = new DbObjectName(null, table.Name.Name);
        foreach (var statement in Pg.Ddl.CreateTable(table, target).Concat(Apply.InstallRoutine(table, target)))
            await connection.ExecuteAsync(statement);
        return new ApplyHarness(connection, table, target);
    }

    public static ColumnDefinition Column(string name, CanonicalType type, bool nullable = true) =>
        new(name, type, nullable, IsIdentity: false, type.ToString());

    public static ChangeRow Present(params object?[] values) => new(true, values);

    /// <summary>A deleted key: only the key columns are set, given in key order.</summary>
    public ChangeRow Gone(params object?[] key)
    {
        var values = new object?[Table.Columns.Count];
        for (var k = 0; k < key.Length; k++)
            values[IndexOf(Table.Key.Columns[k])] = key[k];
        return new ChangeRow(false, values);
    }

    /// <summary>Applies every batch in one transaction and commits it.</summary>
    public async Task ApplyAsync(params IReadOnlyList<ChangeRow>[] batches)
    {
        await using var transaction = await Connection.BeginTransactionAsync(Ct);
        await ApplyAsync(transaction, batches);
        await transaction.CommitAsync(Ct);
    }

    /// <summary>Applies every batch through one applier inside <paramref name="transaction"/>.</summary>
    public async Task ApplyAsync(NpgsqlTransaction transaction, params IReadOnlyList<ChangeRow>[] batches)
    {
        await using var applier = await Apply.OpenAsync(Connection, transaction, Table, Target, Ct);
        foreach (var batch in batches)
            await applier.ApplyAsync(batch, Ct);
    }

    /// <summary>Every row of the table in key order, read back through <see cref="PostgreSqlValues"/>.</summary>
    public async Task<List<object?[]>> ReadAsync()
    {
        var q = Pg.Identifiers;
        var sql = $"SELECT {string.Join(", ", Table.Columns.Select(c => q.Quote(c.Name)))} FROM {q.Quote(Target)} " +
                  $"ORDER BY {string.Join(", ", Table.Key.Columns.Select(q.Quote))}";
        await using var command = new NpgsqlCommand(sql, Connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
            rows.Add(Table.Columns.Select((c, i) => Pg.Values.Read(reader, i, c.Type)).ToArray());
        return rows;
    }

    /// <summary>Rows the stage holds right now (it must be empty after every applied batch).</summary>
    public async Task<long> StagedRowsAsync()
    {
        var stage = Pg.Identifiers.Quote(Pg.Identifiers.Derive("repl", "stage", Target.Name.ToLowerInvariant()));
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM pg_temp.{stage}", Connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Asserts equal rows value by value (byte arrays by content, runtime types too), naming row and column.</summary>
    public void AssertRows(IReadOnlyList<object?[]> expected, IReadOnlyList<object?[]> actual)
    {
        Assert.True(expected.Count == actual.Count, $"expected {expected.Count} rows, read {actual.Count}");
        for (var r = 0; r < expected.Count; r++)
            for (var c = 0; c < Table.Columns.Count; c++)
            {
                var want = expected[r][c];
                var got = actual[r][c];
                var same = Equals(want, got) || (want is byte[] wb && got is byte[] gb && wb.AsSpan().SequenceEqual(gb));
                Assert.True(same && want?.GetType() == got?.GetType(),
                    $"row {r} column {Table.Columns[c].Name}: expected {Show(want)}, read {Show(got)}");
            }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private int IndexOf(string column)
    {
        for (var i = 0; i < Table.Columns.Count; i++)
            if (Table.Columns[i].Name == column)
                return i;
        throw new ArgumentException($"no column {column}", nameof(column));
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime time => $"{time:O} ({time.Kind})",
        _ => $"{value} ({value.GetType().Name})",
    };
}
