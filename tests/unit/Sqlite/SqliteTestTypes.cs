using System.Globalization;
using System.Text.RegularExpressions;
using Repl.Schema;

namespace Repl.Tests.Sqlite;

/// <summary>Canonical types for SQLite tests, and SQLite's documented affinity rules to check declared types against.</summary>
internal static partial class SqliteTestTypes
{
    /// <summary>One of every canonical kind, with and without its facets.</summary>
    public static IReadOnlyList<CanonicalType> All { get; } =
    [
        new(CanonicalKind.Boolean), new(CanonicalKind.Int16), new(CanonicalKind.Int32), new(CanonicalKind.Int64),
        new(CanonicalKind.Decimal, Precision: 12, Scale: 2), new(CanonicalKind.Decimal, Precision: 10), new(CanonicalKind.Decimal),
        new(CanonicalKind.Float32), new(CanonicalKind.Float64),
        new(CanonicalKind.Char, Length: 3), new(CanonicalKind.VarChar, Length: 200), new(CanonicalKind.Text),
        new(CanonicalKind.Binary, Length: 16), new(CanonicalKind.Binary), new(CanonicalKind.Date),
        new(CanonicalKind.Time, Precision: 6), new(CanonicalKind.Time),
        new(CanonicalKind.Timestamp, Precision: 0), new(CanonicalKind.Timestamp),
        new(CanonicalKind.TimestampTz, Precision: 3), new(CanonicalKind.TimestampTz),
        new(CanonicalKind.Uuid), new(CanonicalKind.Json),
    ];

    /// <summary>Parses <c>kind</c>, <c>kind(n)</c> or <c>kind(p,s)</c>; <c>decimal(10,)</c> leaves the scale null.</summary>
    public static CanonicalType Parse(string text)
    {
        var m = Spelling().Match(text);
        var kind = Enum.Parse<CanonicalKind>(m.Groups[1].Value, ignoreCase: true);
        int? first = m.Groups[2].Success && m.Groups[2].Length > 0 ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        int? second = m.Groups[3].Success && m.Groups[3].Length > 0 ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : null;
        return kind is CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Binary
            ? new CanonicalType(kind, Length: first)
            : new CanonicalType(kind, Precision: first, Scale: second);
    }

    /// <summary>SQLite's column affinity of a declared type (https://www.sqlite.org/datatype3.html, 3.1).</summary>
    public static string Affinity(string declared)
    {
        var t = declared.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal))
            return "INTEGER";
        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal))
            return "TEXT";
        if (t.Contains("BLOB", StringComparison.Ordinal) || t.Length == 0)
            return "BLOB";
        if (t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal))
            return "REAL";
        return "NUMERIC";
    }

    [GeneratedRegex(@"^(\w+)(?:\((\d*)(?:,(\d*))?\))?$")]
    private static partial Regex Spelling();
}
