using System.Data.Common;
using Repl.Configuration;
using Repl.Connections;
using Repl.Dialects;
using Repl.Schema;

namespace Repl.Verify;

/// <summary>
/// The real keys of tables verify described from the master registry's recorded column signatures (which hold no key):
/// read from the master catalog only for the tables whose checksums differ, over a connection of its own opened on first
/// use (the verify connection sits in its snapshot transaction, in which MySqlConnector refuses the catalog's commands).
/// </summary>
internal sealed class TableKeys(VendorDialect master, IDatabaseConnector connector, MasterConfig database, IReadOnlySet<ReplicatedTable> recorded)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<ReplicatedTable, ReplicatedTable> _keyed = new(ReferenceEqualityComparer.Instance);
    private DbConnection? _connection;

    /// <summary>The table with its real key: the recorded columns (those replicated) and the key the master catalog reports.</summary>
    public async Task<ReplicatedTable> KeyedAsync(ReplicatedTable table, CancellationToken cancellationToken)
    {
        if (!recorded.Contains(table))
            return table;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keyed.TryGetValue(table, out var keyed))
                return keyed;
            _connection ??= await connector.OpenAsync(database, cancellationToken);
            var current = await master.Schema.Catalog.ReadTableAsync(_connection, table.Source.Name, cancellationToken);
            keyed = table with { Source = TableDefinition.Create(table.Source.Name, table.Source.Columns, current.Key, [], []) };
            _keyed[table] = keyed;
            return keyed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
