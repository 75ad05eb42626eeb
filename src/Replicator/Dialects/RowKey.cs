using System.Globalization;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// A row's key as an operator reads it in an error, in the style of PostgreSQL's details: <c>(id, k2)=(7, 'x')</c>.
/// </summary>
internal static class RowKey
{
    /// <summary>The key of <paramref name="values"/> (canonical values in table column order) of <paramref name="table"/>.</summary>
    public static string Describe(TableDefinition table, IReadOnlyList<object?> values)
    {
        var names = table.Key.Columns;
        var positions = names.Select(k => ColumnIndex(table, k)).ToList();
        return $"({string.Join(", ", names)})=({string.Join(", ", positions.Select(p => Literal(values[p])))})";
    }

    /// <summary>The position of key column <paramref name="column"/> in <paramref name="table"/>'s columns.</summary>
    public static int ColumnIndex(TableDefinition table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i].Name == column)
                return i;
        throw new SchemaException($"Table {table.Name}: key column {column} is not a column of the table.");
    }

    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        byte[] b => "0x" + Convert.ToHexString(b),
        DateTime d => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "'",
        DateTimeOffset d => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture) + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
