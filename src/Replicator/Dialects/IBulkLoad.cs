using System.Data.Common;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// Slave side: the vendor's bulk path (PostgreSQL binary COPY, MariaDB MySqlBulkCopy / LOAD DATA LOCAL,
/// SQLite prepared inserts in one transaction) used by the initial load, resync and snapshots.
/// </summary>
internal interface IBulkLoad
{
    /// <summary>
    /// Streams <paramref name="rows"/> (canonical CLR values in table column order) into <paramref name="target"/>
    /// inside <paramref name="transaction"/>; returns the number of rows loaded. Memory does not grow with the row count.
    /// </summary>
    Task<long> LoadAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken);
}
