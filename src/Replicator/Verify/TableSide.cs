using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Repl.Dialects;
using Repl.Dialects.Oracle;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Verify;

/// <summary>
/// One side of a comparison: a connection of one vendor inside ONE read transaction, so that every table it reads
/// (and reads again to find differing keys) comes from the same moment.
/// </summary>
internal sealed class TableSide : IAsyncDisposable
{
    private readonly VendorDialect _dialect;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;

    private TableSide(VendorDialect dialect, DbConnection connection, DbTransaction transaction)
    {
        _dialect = dialect;
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>The connection, for queries that must share the side's snapshot.</summary>
    public DbConnection Connection => _connection;

    /// <summary>The read transaction.</summary>
    public DbTransaction Transaction => _transaction;

    /// <summary>Begins the read transaction on an open connection the side then owns.</summary>
    public static async Task<TableSide> BeginAsync(VendorDialect dialect, DbConnection connection, CancellationToken cancellationToken)
    {
        DbTransaction transaction;
        if (dialect.Master is not null)
            // The vendor's consistent snapshot (REPEATABLE READ, WITH CONSISTENT SNAPSHOT, SERIALIZABLE), taken now.
            transaction = await dialect.Master.BeginSnapshotAsync(connection, cancellationToken);
        else if (connection is SqliteConnection sqlite)
            // Deferred: a read transaction (a WAL snapshot from its first read) that never blocks the replay writing the file;
            // the driver's default, IMMEDIATE, would take the write lock for as long as verify runs.
            transaction = sqlite.BeginTransaction(deferred: true);
        else
            transaction = await connection.BeginTransactionAsync(cancellationToken);
        return new TableSide(dialect, connection, transaction);
    }

    /// <summary>Every row of <paramref name="name"/> with the columns of <paramref name="table"/>, read through the vendor's codec.</summary>
    public async IAsyncEnumerable<object?[]> ReadAsync(TableDefinition table, DbObjectName name,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = _dialect.Schema.Identifiers;
        var columns = table.Columns;
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => ReadExpression(ids.Quote(c.Name), c.Type)))} FROM {ids.Quote(name)}";
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
                row[i] = _dialect.Schema.Values.Read(reader, i, columns[i].Type);
            yield return row;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Read only: nothing to keep. Rolling back ends the snapshot at once (vacuum and purge stop waiting for it).
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // A broken connection has no transaction left to end.
        }
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    // IValueCodec (a Schema contract) has no select-list hook, so the two vendors whose codecs need one are named here,
    // as the master readers' SelectAll do: MariaDB sends FLOAT as 6-digit text, Oracle drops a TIMESTAMP WITH TIME ZONE's offset.
    private string ReadExpression(string quoted, CanonicalType type) => _dialect.Vendor switch
    {
        Vendor.MySql => MySqlValues.ReadExpression(quoted, type),
        Vendor.Oracle => OracleMaster.ReadExpression(quoted, type),
        _ => quoted,
    };
}
