using System.Data.Common;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Engine;
using Repl.Operations;
using Repl.Status;

namespace Repl.Replay;

/// <summary>Another process is replaying this node (it holds the node's lock on the master).</summary>
internal sealed class NodeLockedException : Exception
{
    /// <summary>Creates the exception for <paramref name="node"/>.</summary>
    public NodeLockedException(string node)
        : base($"node {node}: another repl replay is running for this node (it holds the node's lock on the master). Stop it first, or let it work.") { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public NodeLockedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Parameterless constructor required by convention.</summary>
    public NodeLockedException() { }
}

/// <summary>
/// Runs replay cycles for one node over long-lived connections: the master connection holds the node lock for as long
/// as it lives (released by the server when the process dies, even on SIGKILL). After any failure the connections are
/// dropped and the next cycle starts from scratch, so a half-done cycle never leaks into the next one.
/// </summary>
internal sealed class ReplayRunner(ReplConfig config, NodeConfig node, IDatabaseConnector connector) : IAsyncDisposable
{
    private readonly VendorDialect _master = VendorDialects.For(config.Master.Provider);
    private readonly VendorDialect _slave = VendorDialects.For(node.Provider);
    private DbConnection? _masterConnection;
    private DbConnection? _slaveConnection;
    private IReadOnlyList<ReplicatedTable>? _tables;

    /// <summary>The tables being replayed (known after the first successful connect).</summary>
    public IReadOnlyList<ReplicatedTable> Tables => _tables ?? [];

    /// <summary>Runs one cycle, connecting (and taking the node lock) first when needed.</summary>
    public async Task<CycleResult> RunCycleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken);
            var cycle = new ReplayCycle(_master, _slave, config.Replay.BatchSize);
            try
            {
                return await cycle.RunAsync(_masterConnection!, _slaveConnection!, _tables!, node.Name,
                    new Dictionary<ReplicatedTable, TableRefresh>(), cancellationToken);
            }
            catch (ReplException e)
            {
                // The slave-side messages name the table and routine but not the node; the operator needs all three.
                throw new ReplException($"node {node.Name}: {e.Message}", e);
            }
        }
        catch
        {
            await DisconnectAsync();
            throw;
        }
    }

    /// <summary>Purges the master's logs over a connection of its own (<c>purge.interval</c>); see <see cref="Purger"/>.</summary>
    public Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken) =>
        new Purger(config, connector).RunAsync(config.Purge.BatchSize, cancellationToken);
    /// <summary>The node's pending work and lag as <c>repl status</c> reads them, over the runner's master connection.</summary>
    public async Task<NodeStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken);
        var report = await new StatusReader(_master).ReadAsync(_masterConnection!, config, node.Name, new StatusThresholds(null, null), cancellationToken);
        return report.Nodes.Single();
    }

    /// <summary>Opens a dedicated connection that listens for the master's change signal, or null when it has none.</summary>
    public async Task<IChangeSignal?> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await connector.OpenAsync(config.Master, cancellationToken);
        var signal = await _master.Master!.ListenAsync(connection, cancellationToken);
        if (signal is null)
            await connection.DisposeAsync();
        return signal;
    }

    /// <summary>Closes the connections (and so releases the node lock).</summary>
    public async Task DisconnectAsync()
    {
        _tables = null;
        if (_slaveConnection is not null)
            await _slaveConnection.DisposeAsync();
        if (_masterConnection is not null)
            await _masterConnection.DisposeAsync();
        _slaveConnection = null;
        _masterConnection = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await DisconnectAsync();

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_masterConnection is not null && _slaveConnection is not null && _tables is not null)
            return;
        await DisconnectAsync();
        _masterConnection = await connector.OpenAsync(config.Master, cancellationToken);
        if (!await _master.Master!.TryLockNodeAsync(_masterConnection, node.Name, cancellationToken))
            throw new NodeLockedException(node.Name);
        var registry = await MasterRegistry.ReadAsync(_master, _masterConnection, cancellationToken);
        if (!registry.IsCurrent)
            throw new ReplException($"node {node.Name}: the master's repl registry was created by an earlier repl; run repl init to add the columns this version uses.");
        if (!registry.IsLoaded(node.Name))
            throw new ReplException($"node {node.Name}: the master has no completed initial load for this node; run repl init first.");
        var resolved = await TableResolver.ResolveAsync(config, _master.Schema, _masterConnection, cancellationToken);
        _tables = resolved.Select(r => _master.Capture!.Describe(r.Definition, r.Config.Mode)).ToList();
        var stale = _tables.Select(t => Stale(t, registry)).OfType<string>().ToList();
        if (stale.Count > 0)
            throw new ReplException(string.Join(Environment.NewLine, stale));
        _slaveConnection = await connector.OpenAsync(node, cancellationToken);
    }

    // Replaying a table whose master columns differ from what init set up on the slaves would write the wrong columns
    // (or fail on them); the operator runs init, which changes the slaves, and replay resumes with the new columns.
    private static string? Stale(ReplicatedTable table, MasterRegistry registry)
    {
        if (table.Mode != TableMode.Log)
            return null;
        var recorded = registry.Signature(table);
        if (recorded is null)
            return $"table {table.Source.Name}: repl init has not instrumented it yet; run repl init, which creates and loads it on every node.";
        var drift = SchemaDrift.Compare(table, recorded);
        if (drift.Refusal is not null)
            return drift.Refusal;
        return drift.AddedColumns.Count == 0
            ? null
            : $"table {table.Source.Name}: column(s) {string.Join(", ", drift.AddedColumns.Select(c => "\"" + c.Name + "\""))} were added on the master " +
              "since repl init; run repl init to add them to every node, and replay resumes with them.";
    }
}
