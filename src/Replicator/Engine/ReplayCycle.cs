using System.Data.Common;
using System.Diagnostics;
using Repl.Dialects;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Engine;

/// <summary>How one table is brought up to date in a cycle.</summary>
internal enum TableRefresh
{
    /// <summary>Apply the keys logged by transactions the node has not processed.</summary>
    Changes,
    /// <summary>Replace the slave table's contents with a full copy (initial load, resync).</summary>
    Full,
}

/// <summary>What one cycle did, for logs, status and tests.</summary>
internal sealed record CycleResult(string Node, long Transactions, long RowsApplied, long RowsDeleted, TimeSpan Duration,
    IReadOnlyDictionary<string, long> RowsByTable);

/// <summary>
/// One replay cycle for one node, exactly as DESIGN §5 describes it: ONE master snapshot for every log-mode table,
/// ONE slave transaction, the txids seen recorded in the master transaction, slave committed before master.
/// A crash between the two commits replays the same txids again, which is harmless: the slave always receives the
/// master's current row for a key. Rows stream from master to slave in batches, read on one task while the slave applies the
/// previous batch on another (<see cref="ReadAhead"/>); memory does not grow with the backlog.
/// </summary>
internal sealed class ReplayCycle(VendorDialect master, VendorDialect slave, int batchSize)
{
    // Batches read from the master ahead of the one the slave is applying: the two databases work at the same time, and
    // memory holds at most this many batches more.
    private const int BatchesAhead = 2;

    /// <summary>
    /// Runs one cycle. <paramref name="refresh"/> says per table whether to apply changes or copy it whole; tables
    /// absent from it get <see cref="TableRefresh.Changes"/>. Both connections must be open; the master connection
    /// should hold the node lock.
    /// </summary>
    public async Task<CycleResult> RunAsync(DbConnection masterConnection, DbConnection slaveConnection,
        IReadOnlyList<ReplicatedTable> tables, string node, IReadOnlyDictionary<ReplicatedTable, TableRefresh> refresh,
        CancellationToken cancellationToken)
    {
        var reader = master.Master ?? throw new InvalidOperationException($"{master.Vendor} cannot be a master.");
        var clock = Stopwatch.StartNew();
        var logTables = tables.Where(t => t.Mode == TableMode.Log).ToList();
        var rowsByTable = new Dictionary<string, long>(StringComparer.Ordinal);
        long applied = 0, deleted = 0;

        await using var masterTransaction = await reader.BeginSnapshotAsync(masterConnection, cancellationToken);
        List<ReplicatedTable> work;
        try
        {
            // One question to the master names the tables with unprocessed transactions, however many tables there are: an
            // idle cycle stops there and touches no slave, a busy one reads only those tables.
            work = logTables.Any(t => refresh.GetValueOrDefault(t) == TableRefresh.Full)
                ? logTables
                : await PendingTablesAsync(reader, masterConnection, masterTransaction, logTables, node, cancellationToken);
            if (work.Count == 0)
            {
                await ExecuteAsync(masterConnection, masterTransaction, reader.RecordCycleSql(node), cancellationToken);
                await masterTransaction.CommitAsync(cancellationToken);
                return new CycleResult(node, 0, 0, 0, clock.Elapsed, rowsByTable);
            }
        }
        catch
        {
            await RollbackQuietlyAsync(masterTransaction);
            throw;
        }

        await using var slaveTransaction = await slaveConnection.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var table in work)
            {
                var mode = refresh.GetValueOrDefault(table, TableRefresh.Changes);
                var (present, gone) = mode == TableRefresh.Full
                    ? (await CopyAsync(table, masterConnection, masterTransaction, slaveConnection, slaveTransaction, cancellationToken), 0L)
                    : await ApplyChangesAsync(table, node, masterConnection, masterTransaction, slaveConnection, slaveTransaction, cancellationToken);
                applied += present;
                deleted += gone;
                rowsByTable[table.Source.Name.ToString()] = present + gone;
            }

            var transactions = await reader.RecordProcessedAsync(masterConnection, masterTransaction, work, node, cancellationToken);
            await ExecuteAsync(masterConnection, masterTransaction, reader.RecordCycleSql(node), cancellationToken);
            // Slave first: if the master commit is lost, the same txids are simply applied again next cycle.
            await slaveTransaction.CommitAsync(cancellationToken);
            await masterTransaction.CommitAsync(cancellationToken);
            return new CycleResult(node, transactions, applied, deleted, clock.Elapsed, rowsByTable);
        }
        catch
        {
            await RollbackQuietlyAsync(slaveTransaction);
            await RollbackQuietlyAsync(masterTransaction);
            throw;
        }
    }

    private async Task<(long Present, long Gone)> ApplyChangesAsync(ReplicatedTable table, string node,
        DbConnection masterConnection, DbTransaction masterTransaction, DbConnection slaveConnection, DbTransaction slaveTransaction,
        CancellationToken cancellationToken)
    {
        var columns = table.Source.Columns;
        var keyCount = table.Source.Key.Columns.Count;
        var keyPositions = table.Source.Key.Columns.Select(k => IndexOf(columns, k)).ToArray();
        long present = 0, gone = 0;

        await using var applier = await slave.Apply.OpenAsync(slaveConnection, slaveTransaction, table.Source, table.SlaveName, cancellationToken);
        await ReadAhead.RunAsync<List<ChangeRow>, bool>(BatchesAhead,
            async (emit, token) =>
            {
                await using var command = masterConnection.CreateCommand();
                command.Transaction = masterTransaction;
                command.CommandText = master.Master!.SelectChanges(table, node);
                command.CommandTimeout = 0;
                await using var rows = await command.ExecuteReaderAsync(token);
                var batch = new List<ChangeRow>(batchSize);
                while (await rows.ReadAsync(token))
                {
                    var values = new object?[columns.Count];
                    var isPresent = Convert.ToBoolean(rows.GetValue(keyCount), System.Globalization.CultureInfo.InvariantCulture);
                    if (isPresent)
                    {
                        for (var i = 0; i < columns.Count; i++)
                            values[i] = master.Schema.Values.Read(rows, keyCount + 1 + i, columns[i].Type);
                        present++;
                    }
                    else
                    {
                        for (var k = 0; k < keyCount; k++)
                            values[keyPositions[k]] = master.Schema.Values.Read(rows, k, columns[keyPositions[k]].Type);
                        gone++;
                    }
                    batch.Add(new ChangeRow(isPresent, values));
                    if (batch.Count == batchSize)
                    {
                        await emit(batch);
                        batch = new List<ChangeRow>(batchSize);
                    }
                }
                if (batch.Count > 0)
                    await emit(batch);
            },
            async (batches, token) =>
            {
                await foreach (var batch in batches)
                    await applier.ApplyAsync(batch, token);
                return true;
            },
            cancellationToken);
        return (present, gone);
    }

    private async Task<long> CopyAsync(ReplicatedTable table, DbConnection masterConnection, DbTransaction masterTransaction,
        DbConnection slaveConnection, DbTransaction slaveTransaction, CancellationToken cancellationToken)
    {
        await using (var clear = slaveConnection.CreateCommand())
        {
            // DELETE, not TRUNCATE: MariaDB's TRUNCATE commits implicitly and would expose an empty table.
            clear.Transaction = slaveTransaction;
            clear.CommandText = $"DELETE FROM {slave.Schema.Identifiers.Quote(table.SlaveName)}";
            clear.CommandTimeout = 0;
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        return await ReadAhead.RowsAsync(token => ReadAllAsync(table, masterConnection, masterTransaction, token),
            (rows, token) => slave.BulkLoad.LoadAsync(slaveConnection, slaveTransaction, table.Source, table.SlaveName, rows, token),
            cancellationToken);
    }

    private async IAsyncEnumerable<object?[]> ReadAllAsync(ReplicatedTable table, DbConnection connection, DbTransaction transaction,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = table.Source.Columns;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = master.Master!.SelectAll(table);
        command.CommandTimeout = 0;
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
                values[i] = master.Schema.Values.Read(rows, i, columns[i].Type);
            yield return values;
        }
    }

    private static async Task<List<ReplicatedTable>> PendingTablesAsync(IMasterReader reader, DbConnection connection, DbTransaction transaction,
        List<ReplicatedTable> logTables, string node, CancellationToken cancellationToken)
    {
        if (logTables.Count == 0)
            return [];
        var pending = new HashSet<int>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = reader.PendingTablesQuery(logTables, node);
        command.CommandTimeout = 0;
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
            pending.Add(Convert.ToInt32(rows.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        // The order of the configuration, whatever order the master answered in.
        return [.. logTables.Where((_, i) => pending.Contains(i))];
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static int IndexOf(IReadOnlyList<ColumnDefinition> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
            if (columns[i].Name == name)
                return i;
        throw new SchemaException($"Key column {name} is not a column of the table.");
    }

    private static async Task RollbackQuietlyAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (DbException)
        {
            // The connection is already broken; the server rolls back on its own. The original error is what matters.
        }
        catch (InvalidOperationException)
        {
            // Already completed or connection closed: nothing left to roll back.
        }
    }
}
