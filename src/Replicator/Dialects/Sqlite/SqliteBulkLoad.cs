using System.Data.Common;
using Repl.Schema;

namespace Repl.Dialects.Sqlite;

/// <summary>
/// Loads rows into a SQLite table inside the caller's transaction. SQLite has no bulk path of its own; its fastest load
/// is one compiled INSERT (the one of sqlite/apply.sql) rebound and run per row in one transaction. Rows are written as
/// they stream in, so memory does not grow with the row count.
/// </summary>
internal sealed class SqliteBulkLoad(SchemaDialect schema) : IBulkLoad
{
    private readonly SqliteApply apply = new(schema);

    /// <inheritdoc/>
    public async Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var insert = SqliteRowCommand.Prepare(connection, transaction, apply.Statements(table, target).Insert, table, target,
            [.. Enumerable.Range(0, table.Columns.Count)], schema.Values);
        long loaded = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await insert.ExecuteAsync(row, cancellationToken);
            loaded++;
        }
        return loaded;
    }
}
