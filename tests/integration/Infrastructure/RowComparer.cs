using System.Data.Common;
using System.Globalization;
using System.Text;
using Repl.Schema;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// Compares a master table with its copy on a slave by reading both with plain SELECTs and the vendors' value codecs —
/// never through repl's apply path. Rows are matched by key client-side (collations order strings differently), and
/// values are compared by meaning: decimals by value, timestamps by ticks whatever their Kind, bytes by content.
/// </summary>
public static class RowComparer
{
    /// <summary>Every row of a table keyed by its rendered key.</summary>
    public static async Task<Dictionary<string, object?[]>> ReadAsync(DbConnection connection, SchemaDialect dialect,
        TableDefinition table, DbObjectName name)
    {
        var ids = dialect.Identifiers;
        var columns = table.Columns;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => ReadExpression(dialect, ids.Quote(c.Name), c.Type)))} FROM {ids.Quote(name)}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        var keyPositions = table.Key.Columns.Select(k => columns.ToList().FindIndex(c => c.Name == k)).ToArray();
        while (await reader.ReadAsync())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
                row[i] = dialect.Values.Read(reader, i, columns[i].Type);
            rows.Add(string.Join("|", keyPositions.Select(p => Render(row[p]))), row);
        }
        return rows;
    }

    /// <summary>The differences between two keyed row sets, as readable lines (empty when equal).</summary>
    public static IReadOnlyList<string> Differences(Dictionary<string, object?[]> master, Dictionary<string, object?[]> slave,
        TableDefinition table, int limit = 20)
    {
        var differences = new List<string>();
        foreach (var (key, row) in master)
        {
            if (!slave.TryGetValue(key, out var other))
                differences.Add($"key {key}: missing on the slave");
            else
                for (var i = 0; i < row.Length; i++)
                    if (!SameValue(row[i], other[i]))
                        differences.Add($"key {key} column {table.Columns[i].Name}: master {Render(row[i])}, slave {Render(other[i])}");
        }
        differences.AddRange(slave.Keys.Where(k => !master.ContainsKey(k)).Select(k => $"key {k}: extra on the slave"));
        return differences.Take(limit).ToList();
    }

    /// <summary>Whether two canonical values mean the same.</summary>
    public static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (decimal x, decimal y) => x == y,
        (double x, double y) => x.Equals(y),
        (float x, float y) => x.Equals(y),
        (DateTime x, DateTime y) => x.Ticks == y.Ticks,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => a.Equals(b),
    };

    /// <summary>A value as text for keys and messages.</summary>
    public static string Render(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        decimal d => d.ToString("0.############################", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string ReadExpression(SchemaDialect dialect, string quoted, CanonicalType type) =>
        dialect.Vendor == Vendor.MySql ? Repl.Schema.MySql.MySqlValues.ReadExpression(quoted, type) : quoted;
}
