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

    /// <summary>
    /// <see cref="LoadAsync"/> into a table that <paramref name="transaction"/> itself emptied with TRUNCATE (a snapshot
    /// twin). PostgreSQL then writes the rows frozen (COPY FREEZE); other vendors load as usual.
    /// </summary>
    Task<long> LoadTruncatedAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        LoadAsync(connection, transaction, table, target, rows, cancellationToken);

    /// <summary>
    /// The vendor's shortcut from a master of the same vendor: loads into <paramref name="target"/> every row that
    /// <paramref name="select"/> returns on <paramref name="master"/>, without decoding them, and returns the number of
    /// rows; null, having done nothing, when there is no shortcut for this master or table (the caller then reads and
    /// loads the rows itself). <paramref name="truncated"/> as for <see cref="LoadTruncatedAsync"/>.
    /// </summary>
    Task<long?> TryCopyFromMasterAsync(DbConnection master, string select, DbConnection connection, DbTransaction transaction,
        TableDefinition table, DbObjectName target, bool truncated, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);
}
