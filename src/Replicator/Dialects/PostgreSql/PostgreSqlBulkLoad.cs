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
    public async Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var npgsql = Npgsql(connection, target);
        var columns = new PostgreSqlBinaryColumns(table, schema.Values);
        var copy = $"COPY {schema.Identifiers.Quote(target)} ({ColumnList(schema.Identifiers, table)}) FROM STDIN (FORMAT BINARY)";
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
