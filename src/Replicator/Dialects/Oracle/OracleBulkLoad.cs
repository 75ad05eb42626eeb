using System.Data.Common;
using Repl.Schema;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Oracle slave bulk path: an array-bound INSERT of <see cref="OracleArrayBind.MaxRows"/> rows per round trip, inside the
/// caller's transaction. Generated and golden-tested; not run against a live Oracle.
/// </summary>
/// <remarks>
/// Not OracleBulkCopy: it cannot take part in an external transaction, and the load must commit with the cycle's slave
/// transaction (the DELETE that empties the table and the new rows become visible together, or not at all). Nor an
/// <c>APPEND_VALUES</c> direct-path insert: after one, the same transaction may not touch the table again (ORA-12838),
/// so the second batch would fail.
/// </remarks>
internal sealed class OracleBulkLoad(SchemaDialect schema) : IBulkLoad
{
    /// <inheritdoc/>
    public async Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var sql = InsertSql(table, target);
        var types = table.Columns.Select(c => c.Type).ToList();
        var buffer = new List<object?[]>(OracleArrayBind.MaxRows);
        long loaded = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            buffer.Add(row);
            if (buffer.Count < OracleArrayBind.MaxRows)
                continue;
            await OracleArrayBind.ExecuteAsync(connection, transaction, sql, types, buffer, schema.Values, cancellationToken);
            loaded += buffer.Count;
            buffer.Clear();
        }
        await OracleArrayBind.ExecuteAsync(connection, transaction, sql, types, buffer, schema.Values, cancellationToken);
        return loaded + buffer.Count;
    }

    /// <summary>The array-bound INSERT of every column of <paramref name="table"/> into <paramref name="target"/>.</summary>
    public string InsertSql(TableDefinition table, DbObjectName target) =>
        OracleArrayBind.InsertSql(schema.Identifiers, target, table.Columns.Select(c => c.Name));
}
