using System.Data.Common;
using Npgsql;
using Repl.Schema;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// Loads rows into a PostgreSQL table with binary COPY, inside the caller's transaction: the rows stream to the server
/// as they are produced, so memory does not grow with the row count. The apply path stages its batches the same way.
/// </summary>
internal sealed class PostgreSqlBulkLoad(SchemaDialect schema) : IBulkLoad
{
    /// <inheritdoc/>
    public Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        CopyAsync(connection, table, target, "FORMAT BINARY", rows, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// FREEZE writes the rows already frozen and all-visible, which PostgreSQL allows only into a table created or
    /// truncated in the same transaction. Besides sparing every later reader the hint-bit writes, it makes a snapshot
    /// twin safe for REPEATABLE READ readers: one whose snapshot predates the load and who first reads the view after the
    /// flip sees the new rows, where plain rows after a TRUNCATE (which is not MVCC-safe) would look like an empty table.
    /// </remarks>
    public Task<long> LoadTruncatedAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        CopyAsync(connection, table, target, "FORMAT BINARY, FREEZE", rows, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>From a PostgreSQL master whose columns have the same built-in types: <see cref="PostgreSqlRawCopy"/>.</remarks>
    public async Task<long?> TryCopyFromMasterAsync(DbConnection master, string select, DbConnection connection, DbTransaction transaction,
        TableDefinition table, DbObjectName target, bool truncated, CancellationToken cancellationToken)
    {
        if (!await PostgreSqlRawCopy.TryCopyAsync(master, connection, schema.Identifiers, table, target, select,
                truncated ? "FORMAT BINARY, FREEZE" : "FORMAT BINARY", cancellationToken))
            return null;
        // The raw stream does not report the server's row count; the target holds exactly the rows just copied.
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema.Identifiers.Quote(target)}", Npgsql(connection, target),
            (NpgsqlTransaction)transaction);
        count.CommandTimeout = 0;
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<long> CopyAsync(DbConnection connection, TableDefinition table, DbObjectName target, string options,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var npgsql = Npgsql(connection, target);
        var columns = new PostgreSqlBinaryColumns(table, schema.Values);
        var copy = $"COPY {schema.Identifiers.Quote(target)} ({ColumnList(schema.Identifiers, table)}) FROM STDIN ({options})";
        await using var writer = await npgsql.BeginBinaryImportAsync(copy, cancellationToken);
        // Per I/O timeout, not per load: a slow server mid-load must not abort a 100-million-row copy. Zero is infinite.
        writer.Timeout = TimeSpan.Zero;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.StartRowAsync(cancellationToken);
            await columns.WriteAsync(writer, row, cancellationToken);
        }
        return (long)await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>The connection as Npgsql's, or a message saying which table needed it.</summary>
    internal static NpgsqlConnection Npgsql(DbConnection connection, DbObjectName target) =>
        connection as NpgsqlConnection ?? throw new ArgumentException(
            $"Loading {target} on a PostgreSQL slave needs an Npgsql connection, not {connection.GetType().Name}.", nameof(connection));

    /// <summary>The quoted column list of <paramref name="table"/> in table order.</summary>
    internal static string ColumnList(IIdentifierRules identifiers, TableDefinition table) =>
        string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name)));
}
