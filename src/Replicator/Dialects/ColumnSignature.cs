using System.Globalization;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// The column signature init records on the master for each table: one line per column,
/// <c>name</c>, a tab, <c>type [not null]</c>, in table order. Comparing signatures tells a column added at the end (applied to
/// slaves by the next init) from any other drift (reported, never applied silently).
/// </summary>
internal static class ColumnSignature
{
    private const string NotNull = " not null";

    /// <summary>The signature text of a table.</summary>
    public static string Of(TableDefinition table) => string.Join('\n', table.Columns.Select(Line));

    /// <summary>The signature line of one column.</summary>
    public static string Line(ColumnDefinition column) =>
        string.Create(CultureInfo.InvariantCulture, $"{column.Name}\t{column.Type}{(column.IsNullable ? "" : NotNull)}");

    /// <summary>
    /// The columns a signature records, in order. <see cref="ColumnDefinition.NativeType"/> holds the recorded type text, so
    /// <see cref="Line"/> of a parsed column gives back its line exactly.
    /// </summary>
    public static IReadOnlyList<ColumnDefinition> Parse(string signature) =>
        signature.Split('\n').Select(ParseLine).ToList();

    /// <summary>
    /// A stand-in definition of a registered table that can no longer be read from the master (dropped, or changed beyond
    /// what repl supports), from its recorded signature. The registry keeps no key, so the first column stands in for it:
    /// the definition is good for naming the objects repl generated for the table, not for replicating it.
    /// </summary>
    public static TableDefinition Recorded(DbObjectName table, string signature)
    {
        var columns = Parse(signature);
        return TableDefinition.Create(table, columns, new KeyDefinition(null, [columns[0].Name]), [], []);
    }

    private static ColumnDefinition ParseLine(string line)
    {
        // Types never hold a tab; a (hostile) column name may.
        var tab = line.LastIndexOf('\t');
        if (tab < 0)
            throw new SchemaException($"The recorded column signature line \"{line}\" has no tab between name and type; the repl registry on the master is damaged.");
        var type = line[(tab + 1)..];
        var notNull = type.EndsWith(NotNull, StringComparison.Ordinal);
        if (notNull)
            type = type[..^NotNull.Length];
        return new ColumnDefinition(line[..tab], ParseType(type), !notNull, false, type);
    }

    private static CanonicalType ParseType(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (!Enum.TryParse<CanonicalKind>(open < 0 ? text : text[..open], ignoreCase: true, out var kind) || (open >= 0 && !text.EndsWith(')')))
            throw new SchemaException($"The recorded column type \"{text}\" is not a type repl knows; the repl registry on the master is damaged.");
        if (open < 0)
            return new CanonicalType(kind);
        var facets = text[(open + 1)..^1].Split(',').Select(f => int.Parse(f, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
        return kind switch
        {
            CanonicalKind.Decimal => new CanonicalType(kind, Precision: facets[0], Scale: facets.Length > 1 ? facets[1] : 0),
            CanonicalKind.Time or CanonicalKind.Timestamp or CanonicalKind.TimestampTz => new CanonicalType(kind, Precision: facets[0]),
            _ => new CanonicalType(kind, Length: facets[0]),
        };
    }
}
