using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Repl.Dialects;
using Repl.Engine;
using Repl.Schema;

namespace Repl.Snapshot;

/// <summary>What one snapshot of one table onto one node did.</summary>
internal sealed record SnapshotResult(string Node, DbObjectName Table, DbObjectName Twin, long Rows, TimeSpan Duration);

/// <summary>
/// One snapshot of one table onto one node, as DESIGN §6 describes it: take the table's snapshot lock on the slave, find
/// the twin the view does not read, empty it and bulk-load it with the master's rows read by ONE statement, then point
/// the view at it — in the load's transaction where the vendor allows, else (<see cref="ISnapshotFlip.FlipCommits"/>)
/// right after the load commits. Whatever fails or is killed before the flip leaves the view on the previous twin, and
/// the next run loads the other twin again; readers never see an empty, half-loaded or mixed table.
/// </summary>
internal sealed class SnapshotCopy(VendorDialect master, VendorDialect slave)
{
    /// <summary>
    /// Copies <paramref name="table"/> into <paramref name="node"/> over open connections. With <paramref name="firstLoad"/>
    /// (repl init) a missing view is created over twin 1 once it is loaded; otherwise a missing view is an error.
    /// Errors are <see cref="ReplException"/>s naming the node and table.
    /// </summary>
    public async Task<SnapshotResult> RunAsync(DbConnection masterConnection, DbConnection slaveConnection, string node,
        ReplicatedTable table, bool firstLoad, CancellationToken cancellationToken)
    {
        var flip = slave.Snapshot;
        var twins = flip.Twins(table.SlaveName);
        var clock = Stopwatch.StartNew();
        if (!await flip.TryLockAsync(slaveConnection, twins, cancellationToken))
            throw new ReplException(
                $"node {node}: another repl snapshot of {table.Source.Name} is running on this node (it holds the snapshot lock of " +
                $"{twins.View} on the slave); this run changed nothing. If runs overlap every time, run repl snapshot less often.");
        try
        {
            await CheckTwinColumnsAsync(slaveConnection, node, table, twins, cancellationToken);
            // Where emptying the twin commits, it happens first, alone; the snapshot lock keeps other snapshots from
            // flipping the view meanwhile. Elsewhere the live twin is read inside the load's transaction (SQLite's lock).
            int? emptied = null;
            if (flip.ClearCommits)
            {
                emptied = Target(await flip.LiveTwinAsync(slaveConnection, null, twins, cancellationToken), firstLoad, node, table, twins);
                await ClearAsync(slaveConnection, null, node, table, twins, emptied.Value, cancellationToken);
            }
            await using var transaction = await slaveConnection.BeginTransactionAsync(cancellationToken);
            var target = emptied ?? Target(await flip.LiveTwinAsync(slaveConnection, transaction, twins, cancellationToken), firstLoad, node, table, twins);
            var rows = await LoadAndFlipAsync(masterConnection, slaveConnection, transaction, node, table, twins, target, cancellationToken);
            return new SnapshotResult(node, table.Source.Name, twins.Twin(target), rows, clock.Elapsed);
        }
        catch (DbException e)
        {
            throw Failed(node, table, twins, e);
        }
        finally
        {
            await UnlockQuietlyAsync(flip, slaveConnection, twins);
        }
    }

    /// <summary>The master's query that a snapshot of <paramref name="table"/> streams into the twin.</summary>
    public string SelectAll(ReplicatedTable table) => Reader.SelectAll(table);

    private IMasterReader Reader => master.Master ?? throw new ReplException($"{VendorNames.Of(master.Vendor)} cannot be a master.");

    private static int Target(int? live, bool firstLoad, string node, ReplicatedTable table, SnapshotTwins twins) => live switch
    {
        1 => 2,
        2 => 1,
        null when firstLoad => 1,
        null => throw new ReplException(
            $"node {node}: there is no view {twins.View} yet ({table.Source.Name} is in snapshot mode: a view over the twins " +
            $"{twins.First} and {twins.Second}); run repl init to create them and load the first snapshot."),
        _ => throw new ReplException(
            $"node {node}: the view {twins.View} reads neither {twins.First} nor {twins.Second}, so it was changed by hand and repl " +
            $"cannot tell which twin readers use. Point it back at one of the twins (repl snapshot --dry-run shows the statement), " +
            "or drop it and run repl init."),
    };

    private async Task<long> LoadAndFlipAsync(DbConnection masterConnection, DbConnection slaveConnection, DbTransaction transaction,
        string node, ReplicatedTable table, SnapshotTwins twins, int target, CancellationToken cancellationToken)
    {
        var flip = slave.Snapshot;
        try
        {
            if (!flip.ClearCommits)
                await ClearAsync(slaveConnection, transaction, node, table, twins, target, cancellationToken);
            // The vendor's shortcut when there is one (PostgreSQL to PostgreSQL: raw binary COPY); otherwise read ahead:
            // the master's rows are fetched and decoded on one task while the twin is loaded on another.
            var rows = await slave.BulkLoad.TryCopyFromMasterAsync(masterConnection, Reader.SelectAll(table), slaveConnection, transaction,
                    table.Source, twins.Twin(target), flip.ClearTruncatesInTransaction, cancellationToken)
                ?? await ReadAhead.RowsAsync(token => ReadMasterAsync(masterConnection, table, token),
                (chunks, token) => flip.ClearTruncatesInTransaction
                    ? slave.BulkLoad.LoadTruncatedAsync(slaveConnection, transaction, table.Source, twins.Twin(target), chunks, token)
                    : slave.BulkLoad.LoadAsync(slaveConnection, transaction, table.Source, twins.Twin(target), chunks, token),
                cancellationToken);
            // The flip keeps the driver's default timeout: it waits for readers inside the view to finish, and a reader
            // that never does must not hold the snapshot (and the readers queued behind the flip) forever.
            if (flip.FlipCommits)
            {
                await transaction.CommitAsync(cancellationToken);
                await ExecuteAsync(slaveConnection, null, flip.Flip(table.Source, twins, target), null, cancellationToken);
            }
            else
            {
                await ExecuteAsync(slaveConnection, transaction, flip.Flip(table.Source, twins, target), null, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            return rows;
        }
        catch (Exception e) when (e is DbException or SchemaException or ReplException)
        {
            throw Failed(node, table, twins, e);
        }
    }

    // Emptying the twin keeps the driver's default timeout: a TRUNCATE waits for sessions that still read the twin from
    // before the last flip, and one that never ends must not hold the snapshot forever.
    private async Task ClearAsync(DbConnection connection, DbTransaction? transaction, string node, ReplicatedTable table,
        SnapshotTwins twins, int target, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, transaction, slave.Snapshot.Clear(twins, target), null, cancellationToken);
        }
        catch (DbException e)
        {
            throw new ReplException(
                $"node {node}: the snapshot of {table.Source.Name} could not empty the inactive twin {twins.Twin(target)} " +
                $"({e.Message.TrimEnd().TrimEnd('.')}); a session that read {twins.View} before its last flip may still hold it " +
                $"(a transaction left open). Readers of {twins.View} still see the previous snapshot.", e);
        }
    }

    private static ReplException Failed(string node, ReplicatedTable table, SnapshotTwins twins, Exception e) => new(
        $"node {node}: the snapshot of {table.Source.Name} failed: {e.Message.TrimEnd().TrimEnd('.')}. Readers of {twins.View} still see " +
        "the previous snapshot; the next run loads the other twin again.", e);

    // SELECT * over no rows is the one column query every vendor answers alike; it also proves the twins exist.
    private async Task CheckTwinColumnsAsync(DbConnection connection, string node, ReplicatedTable table, SnapshotTwins twins,
        CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {slave.Schema.Identifiers.Quote(twins.First)} WHERE 1 = 0";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < reader.FieldCount; i++)
                names.Add(reader.GetName(i));
        }
        catch (DbException e)
        {
            throw new ReplException(
                $"node {node}: the snapshot twin {twins.First} of {table.Source.Name} cannot be read ({e.Message}); run repl init to create the twins.", e);
        }
        var expected = table.Source.Columns.Select(c => c.Name).ToList();
        if (!names.SequenceEqual(expected, StringComparer.Ordinal))
            throw new ReplException(
                $"node {node}: the snapshot twins of {table.Source.Name} have the columns ({string.Join(", ", names)}) but the master's table " +
                $"has ({string.Join(", ", expected)}): it changed since repl init created them. Drop {twins.View}, {twins.First} and " +
                $"{twins.Second} on node {node} and run repl init to create and load them anew.");
    }

    private async IAsyncEnumerable<object?[]> ReadMasterAsync(DbConnection connection, ReplicatedTable table,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One statement: every vendor reads it from one consistent snapshot, without holding a transaction open.
        var columns = table.Source.Columns;
        await using var command = connection.CreateCommand();
        command.CommandText = Reader.SelectAll(table);
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

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> statements,
        int? timeoutSeconds, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement;
            if (timeoutSeconds is { } seconds)
                command.CommandTimeout = seconds;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task UnlockQuietlyAsync(ISnapshotFlip flip, DbConnection connection, SnapshotTwins twins)
    {
        if (connection.State != ConnectionState.Open)
            return;
        try
        {
            await flip.UnlockAsync(connection, twins, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The session broke with the failure that got us here; the server released its locks with it.
        }
    }
}
