using System.Data.Common;
using Repl.Schema;

namespace Repl.Dialects.MySql;

/// <summary>
/// Loads a MariaDB slave table with MySqlBulkCopy (LOAD DATA LOCAL INFILE) inside the caller's transaction, streaming the
/// rows as they come; the connection needs AllowLoadLocalInfile=true and the server local_infile=1. A failure midway (the
/// source's or a value MariaDB cannot store) leaves the connection broken and its transaction rolled back by the server.
/// </summary>
internal sealed class MySqlBulkLoad(SchemaDialect schema) : IBulkLoad
{
    /// <inheritdoc/>
    public Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Columns.Select(c => (c.Name, c.Type)).ToList();
        return MySqlRowCopy.CopyAsync(connection, transaction, schema.Identifiers, table.Name, target, columns,
            rows.Select(r => MySqlRowCopy.ToProviderRow(r, columns, schema.Values, table.Name)), cancellationToken);
    }
}
