using System.Data;
using System.Data.Common;
using System.Globalization;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Engine;
using Repl.Schema;

namespace Repl.Operations;

/// <summary>What one purge did: rows deleted per log and per processed table, or why it did nothing.</summary>
internal sealed record PurgeResult(PurgeOutcome Outcome, IReadOnlyList<(string Table, long Rows, int Batches)> Deleted)
{
    /// <summary>Tables whose purge stopped early because a running transaction held a lock it needed (rows kept for next time).</summary>
    public IReadOnlyList<string> Waited { get; init; } = [];

    /// <summary>Log rows deleted, over every log.</summary>
    public long LogRows { get; init; }

    /// <summary>Processed rows deleted, over every node.</summary>
    public long ProcessedRows { get; init; }
}

/// <summary>Whether a purge ran.</summary>
internal enum PurgeOutcome
{
    /// <summary>It ran to the end.</summary>
    Done,
    /// <summary>The master has no repl registry: nothing to purge.</summary>
    NoRegistry,
    /// <summary>Another purge holds the purge lock of this master; this one did nothing.</summary>
    Busy,
}

/// <summary>
/// <c>repl purge</c> (DESIGN §7): deletes the log rows of every transaction that every registered node has processed, then
/// the processed rows no log refers to any more. Each batch is its own short READ COMMITTED transaction of at most
/// <c>batchSize</c> rows, so neither capture triggers nor replay cycles wait on it. A transaction still running is in no
/// processed table, so its rows are kept; a node that has not processed a transaction keeps its rows, which is why a dead
/// node must be removed (<c>repl node remove</c>). Each batch re-reads the node registry before it commits and is rolled
/// back and redone when a node appeared meanwhile (repl init adding one): rows that node has not loaded are never purged.
/// </summary>
internal sealed class Purger(ReplConfig config, IDatabaseConnector connector)
{
    /// <summary>Purges every registered log and processed table of the master, batch by batch.</summary>
    public async Task<PurgeResult> RunAsync(int batchSize, CancellationToken cancellationToken)
    {
        var dialect = MasterDialect();
        var purge = dialect.Purge!;
        await using var master = await connector.OpenAsync(config.Master, cancellationToken);
        var registry = await MasterRegistry.ReadAsync(dialect, master, cancellationToken);
        if (!registry.Exists)
            return new PurgeResult(PurgeOutcome.NoRegistry, []);
        if (!await purge.TryLockAsync(master, cancellationToken))
            return new PurgeResult(PurgeOutcome.Busy, []);
        try
        {
            var logs = Logs(dialect, registry);
            var nodes = registry.Nodes;
            var deleted = new List<(string, long, int)>();
            var waited = new List<string>();
            long logRows = 0, processedRows = 0;
            foreach (var log in logs)
            {
                long rows = 0;
                var batches = 0;
                while (true)
                {
                    await using var transaction = await master.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                    long count;
                    try
                    {
                        count = await purge.PurgeLogAsync(master, transaction, log, nodes, batchSize, cancellationToken);
                    }
                    catch (PurgeWaitedException e)
                    {
                        await transaction.RollbackAsync(cancellationToken);
                        waited.Add(e.Message);
                        break;
                    }
                    var current = await NodesAsync(dialect, master, transaction, cancellationToken);
                    if (!current.SequenceEqual(nodes, StringComparer.OrdinalIgnoreCase))
                    {
                        await transaction.RollbackAsync(cancellationToken);
                        nodes = current;
                        continue;
                    }
                    await transaction.CommitAsync(cancellationToken);
                    rows += count;
                    batches++;
                    if (count < batchSize)
                        break;
                }
                deleted.Add((log.LogName.ToString(), rows, batches));
                logRows += rows;
            }
            foreach (var node in nodes)
            {
                long rows = 0;
                var batches = 0;
                while (true)
                {
                    await using var transaction = await master.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                    long count;
                    try
                    {
                        count = await purge.PurgeProcessedAsync(master, transaction, node, logs, batchSize, cancellationToken);
                    }
                    catch (PurgeWaitedException e)
                    {
                        await transaction.RollbackAsync(cancellationToken);
                        waited.Add(e.Message);
                        break;
                    }
                    await transaction.CommitAsync(cancellationToken);
                    rows += count;
                    batches++;
                    if (count < batchSize)
                        break;
                }
                deleted.Add((dialect.Capture!.ProcessedTable(node).ToString(), rows, batches));
                processedRows += rows;
            }
            return new PurgeResult(PurgeOutcome.Done, deleted) { LogRows = logRows, ProcessedRows = processedRows, Waited = waited };
        }
        finally
        {
            if (master.State == ConnectionState.Open)
                await purge.UnlockAsync(master, CancellationToken.None);
        }
    }

    /// <summary>The statements one batch runs per log and per processed table, for <c>--dry-run</c>; empty without a registry.</summary>
    public async Task<DatabasePlan> PlanAsync(int batchSize, CancellationToken cancellationToken)
    {
        var dialect = MasterDialect();
        await using var master = await connector.OpenAsync(config.Master, cancellationToken);
        var registry = await MasterRegistry.ReadAsync(dialect, master, cancellationToken);
        if (!registry.Exists)
            return new DatabasePlan("master", []);
        var logs = Logs(dialect, registry);
        var nodes = registry.Nodes;
        var every = $"repeated, one transaction per batch of at most {batchSize.ToString("N0", CultureInfo.InvariantCulture)} rows, until a batch deletes fewer";
        var steps = logs.Select(l => ($"log {l.LogName}: rows of transactions processed by every node ({(nodes.Count == 0 ? "no node is registered" : string.Join(", ", nodes))}); {every}",
                dialect.Purge!.DescribeLog(l, nodes, batchSize)))
            .Concat(nodes.Select(n => ($"processed table of node {n}: transactions no log refers to any more; {every}",
                dialect.Purge!.DescribeProcessed(n, logs, batchSize))))
            .ToList();
        return new DatabasePlan("master", steps);
    }

    private VendorDialect MasterDialect()
    {
        var dialect = VendorDialects.For(config.Master.Provider);
        if (dialect.Purge is null || dialect.Capture is null)
            throw new ReplException($"master: {VendorNames.Of(config.Master.Provider)} cannot be a master; masters are postgresql, mysql and oracle.");
        return dialect;
    }

    // Every registered log, configured or not: a table taken out of the config still has a log that its triggers fill.
    private static List<ReplicatedTable> Logs(VendorDialect dialect, MasterRegistry registry) =>
        registry.Tables.Select(t => dialect.Capture!.Describe(ColumnSignature.Recorded(t.Table, t.Signature), TableMode.Log)).ToList();

    private static async Task<IReadOnlyList<string>> NodesAsync(VendorDialect dialect, DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        var nodes = new List<string>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = dialect.Capture!.RegisteredNodesQuery;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            nodes.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        return [.. nodes.Order(StringComparer.Ordinal)];
    }
}
