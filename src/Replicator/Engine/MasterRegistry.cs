using System.Data.Common;
using System.Globalization;
using Repl.Configuration;
using Repl.Dialects;
using Repl.Schema;

namespace Repl.Engine;

/// <summary>What init recorded on the master: instrumented tables with their column signatures, and registered nodes.</summary>
internal sealed class MasterRegistry
{
    private readonly Dictionary<(string Schema, string Table), string> _tables;
    private readonly Dictionary<string, bool> _nodes;

    private MasterRegistry(bool exists, bool current, Dictionary<(string, string), string> tables, Dictionary<string, bool> nodes)
    {
        Exists = exists;
        IsCurrent = current;
        _tables = tables;
        _nodes = nodes;
    }

    /// <summary>Whether the registries exist (false before the first init).</summary>
    public bool Exists { get; }

    /// <summary>Whether existing registries have every column this version uses (false: init upgrades them).</summary>
    public bool IsCurrent { get; }

    /// <summary>Reads the registries through the master dialect's queries.</summary>
    public static async Task<MasterRegistry> ReadAsync(VendorDialect master, DbConnection connection, CancellationToken cancellationToken)
    {
        var capture = master.Capture!;
        var tables = new Dictionary<(string, string), string>();
        var nodes = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        if (!Convert.ToBoolean(await ScalarAsync(connection, capture.RegistryExistsQuery, cancellationToken), CultureInfo.InvariantCulture))
            return new MasterRegistry(false, false, tables, nodes);
        var current = Convert.ToBoolean(await ScalarAsync(connection, capture.RegistryCurrentQuery, cancellationToken), CultureInfo.InvariantCulture);

        await foreach (var row in RowsAsync(connection, capture.RegisteredTablesQuery, cancellationToken))
            tables[(Convert.ToString(row[0], CultureInfo.InvariantCulture)!, Convert.ToString(row[1], CultureInfo.InvariantCulture)!)] =
                Convert.ToString(row[2], CultureInfo.InvariantCulture)!;
        await foreach (var row in RowsAsync(connection, capture.RegisteredNodesQuery, cancellationToken))
            nodes[Convert.ToString(row[0], CultureInfo.InvariantCulture)!] = Convert.ToBoolean(row[1], CultureInfo.InvariantCulture);
        return new MasterRegistry(true, current, tables, nodes);
    }

    /// <summary>The recorded column signature of a table, or null when init never instrumented it.</summary>
    public string? Signature(ReplicatedTable table) =>
        _tables.GetValueOrDefault((table.Source.Name.Schema ?? "", table.Source.Name.Name));

    /// <summary>Whether init instrumented the table.</summary>
    public bool HasTable(ReplicatedTable table) => Signature(table) is not null;

    /// <summary>Whether the node's initial load committed.</summary>
    public bool IsLoaded(string node) => _nodes.GetValueOrDefault(node);

    /// <summary>Every registered table: its raw name on the master and its recorded column signature.</summary>
    public IReadOnlyList<(DbObjectName Table, string Signature)> Tables =>
        _tables.OrderBy(t => t.Key.Schema, StringComparer.Ordinal).ThenBy(t => t.Key.Table, StringComparer.Ordinal)
            .Select(t => (new DbObjectName(t.Key.Schema.Length == 0 ? null : t.Key.Schema, t.Key.Table), t.Value)).ToList();

    /// <summary>Every registered node, loaded or not.</summary>
    public IReadOnlyList<string> Nodes => [.. _nodes.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Configured nodes the master does not know yet.</summary>
    public IEnumerable<NodeConfig> MissingNodes(IEnumerable<NodeConfig> nodes) => nodes.Where(n => !_nodes.ContainsKey(n.Name));

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(DbConnection connection, string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            yield return row;
        }
    }
}
