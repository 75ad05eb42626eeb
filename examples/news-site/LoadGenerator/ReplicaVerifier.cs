using System.Data.Common;
using System.Globalization;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Examples.NewsSite;

/// <summary>How one node's copy of one table compares with the master's.</summary>
internal sealed record TableComparison(string Table, string Node, int MasterRows, int NodeRows, IReadOnlyList<string> Differences)
{
    /// <summary>Whether the node holds exactly the master's rows.</summary>
    public bool Equal => Differences.Count == 0;
}

/// <summary>
/// Compares every configured table on every node with the master by reading both with plain SELECTs and the vendors'
/// value codecs from src/Schema — never through repl's apply path. Rows are matched by primary key on the client
/// (collations order strings differently); values are compared by meaning (timestamps by ticks, text ordinally).
/// </summary>
internal static class ReplicaVerifier
{
    /// <summary>Compares each table of <paramref name="config"/> on each node with the master.</summary>
    public static async Task<IReadOnlyList<TableComparison>> CompareAsync(NewsConfig config, CancellationToken cancellationToken)
    {
        var results = new List<TableComparison>();
        await using var master = await Connections.OpenAsync(config.Master, cancellationToken);
        var masterDialect = Dialect(config.Master.Vendor);
        foreach (var table in config.Tables)
        {
            var found = await masterDialect.Catalog.FindTablesAsync(master, DbObjectName.Parse(table), cancellationToken);
            if (found.Count != 1)
                throw new InvalidOperationException($"table {table}: {found.Count} matches on the master; expected one");
            var definition = await masterDialect.Catalog.ReadTableAsync(master, found[0], cancellationToken);
            var masterRows = await ReadAsync(master, masterDialect, definition, definition.Name, cancellationToken);
            foreach (var node in config.Nodes)
                results.Add(await CompareNodeAsync(node, definition, masterRows, cancellationToken));
        }
        return results;
    }

    private static async Task<TableComparison> CompareNodeAsync(NewsDatabase node, TableDefinition definition,
        Dictionary<string, object?[]> masterRows, CancellationToken cancellationToken)
    {
        await using var connection = await Connections.OpenAsync(node, cancellationToken);
        try
        {
            var nodeRows = await ReadAsync(connection, Dialect(node.Vendor), definition, new DbObjectName(null, definition.Name.Name), cancellationToken);
            return new TableComparison(definition.Name.Name, node.Name, masterRows.Count, nodeRows.Count, Differences(masterRows, nodeRows, definition));
        }
        catch (DbException e)
        {
            return new TableComparison(definition.Name.Name, node.Name, masterRows.Count, 0, [$"cannot read the table: {e.Message}"]);
        }
    }

    private static SchemaDialect Dialect(Vendor vendor) => vendor switch
    {
        Vendor.PostgreSql => Repl.Schema.PostgreSql.PostgreSqlSchema.Dialect,
        Vendor.MySql => MySqlSchema.Dialect,
        Vendor.Sqlite => Repl.Schema.Sqlite.SqliteSchema.Dialect,
        _ => throw new InvalidOperationException($"{vendor} is not supported by the load generator"),
    };

    private static async Task<Dictionary<string, object?[]>> ReadAsync(DbConnection connection, SchemaDialect dialect, TableDefinition table,
        DbObjectName name, CancellationToken cancellationToken)
    {
        var ids = dialect.Identifiers;
        var columns = table.Columns;
        var select = columns.Select(c => dialect.Vendor == Vendor.MySql ? MySqlValues.ReadExpression(ids.Quote(c.Name), c.Type) : ids.Quote(c.Name));
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", select)} FROM {ids.Quote(name)}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keyPositions = table.Key.Columns.Select(k => columns.ToList().FindIndex(c => c.Name == k)).ToArray();
        var rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
                row[i] = dialect.Values.Read(reader, i, columns[i].Type);
            rows.Add(string.Join("|", keyPositions.Select(p => Render(row[p]))), row);
        }
        return rows;
    }

    private static List<string> Differences(Dictionary<string, object?[]> master, Dictionary<string, object?[]> node, TableDefinition table)
    {
        var differences = new List<string>();
        foreach (var (key, row) in master)
        {
            if (!node.TryGetValue(key, out var other))
            {
                differences.Add($"key {key}: missing");
                continue;
            }
            for (var i = 0; i < row.Length; i++)
            {
                if (!Same(row[i], other[i]))
                    differences.Add($"key {key} column {table.Columns[i].Name}: master {Render(row[i])}, node {Render(other[i])}");
            }
        }
        differences.AddRange(node.Keys.Where(k => !master.ContainsKey(k)).Select(k => $"key {k}: extra"));
        return differences;
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (DateTime x, DateTime y) => x.Ticks == y.Ticks,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => a.Equals(b),
    };

    private static string Render(object? value) => value switch
    {
        null => "NULL",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
