using System.Globalization;
using System.Text.RegularExpressions;

namespace Repl.Schema.Sqlite;

/// <summary>
/// SQLite's row of the canonical type map. SQLite is a slave only, so the declared types below exist to be written by
/// <see cref="SqliteDdl"/> and read back by <see cref="SqliteCatalog"/> as exactly the canonical type that produced them.
/// Each spelling is chosen so that SQLite's type affinity (contains INT → INTEGER; CHAR/CLOB/TEXT → TEXT; BLOB → BLOB;
/// REAL/FLOA/DOUB → REAL; else NUMERIC) never alters a stored value:
/// <list type="table">
/// <listheader><term>canonical</term><description>declared type (affinity): stored as</description></listheader>
/// <item><term>Boolean</term><description>BOOLEAN (numeric): integer 0/1</description></item>
/// <item><term>Int16/Int32/Int64</term><description>SMALLINT/INTEGER/BIGINT (integer)</description></item>
/// <item><term>Decimal(p,s)</term><description>DECIMAL TEXT(p,s) (text): invariant text keeping the scale, e.g. <c>1.10</c>;
/// NUMERIC affinity would turn it into a REAL</description></item>
/// <item><term>Float32/Float64</term><description>FLOAT/DOUBLE (real)</description></item>
/// <item><term>Char(n)/VarChar(n)/Text</term><description>CHAR(n)/VARCHAR(n)/TEXT (text); SQLite enforces no length</description></item>
/// <item><term>Binary(n)/Binary</term><description>BLOB(n)/BLOB (blob)</description></item>
/// <item><term>Date</term><description>DATE (numeric): text <c>yyyy-MM-dd</c>, never a well-formed number</description></item>
/// <item><term>Time(p)</term><description>TIME(p) (numeric): text <c>HH:mm:ss.ffffff</c></description></item>
/// <item><term>Timestamp(p)</term><description>TIMESTAMP(p) (numeric): text <c>yyyy-MM-dd HH:mm:ss.ffffff</c></description></item>
/// <item><term>TimestampTz(p)</term><description>TIMESTAMPTZ(p) (numeric): text <c>yyyy-MM-dd HH:mm:ss.ffffff+00:00</c> in UTC</description></item>
/// <item><term>Uuid</term><description>UUID (numeric): lower-case 36-character text</description></item>
/// <item><term>Json</term><description>JSON TEXT (text): NUMERIC affinity would turn the document <c>123</c> into an integer</description></item>
/// </list>
/// A facet the canonical type leaves null is left out of the declared type (e.g. <c>TIMESTAMP</c>), so the round trip
/// stays exact; the stored text always carries six fractional digits whatever the precision. The common hand-written
/// spellings INT (read as Int32, like INTEGER), REAL (Float64) and NUMERIC (Decimal) are also accepted when reading.
/// </summary>
public sealed partial class SqliteTypeMap : ITypeMap
{
    private enum Facets { None, Length, Precision, PrecisionScale }

    private static readonly Dictionary<CanonicalKind, (string Name, Facets Facets)> Spellings = new()
    {
        [CanonicalKind.Boolean] = ("BOOLEAN", Facets.None),
        [CanonicalKind.Int16] = ("SMALLINT", Facets.None),
        [CanonicalKind.Int32] = ("INTEGER", Facets.None),
        [CanonicalKind.Int64] = ("BIGINT", Facets.None),
        [CanonicalKind.Decimal] = ("DECIMAL TEXT", Facets.PrecisionScale),
        [CanonicalKind.Float32] = ("FLOAT", Facets.None),
        [CanonicalKind.Float64] = ("DOUBLE", Facets.None),
        [CanonicalKind.Char] = ("CHAR", Facets.Length),
        [CanonicalKind.VarChar] = ("VARCHAR", Facets.Length),
        [CanonicalKind.Text] = ("TEXT", Facets.None),
        [CanonicalKind.Binary] = ("BLOB", Facets.Length),
        [CanonicalKind.Date] = ("DATE", Facets.None),
        [CanonicalKind.Time] = ("TIME", Facets.Precision),
        [CanonicalKind.Timestamp] = ("TIMESTAMP", Facets.Precision),
        [CanonicalKind.TimestampTz] = ("TIMESTAMPTZ", Facets.Precision),
        [CanonicalKind.Uuid] = ("UUID", Facets.None),
        [CanonicalKind.Json] = ("JSON TEXT", Facets.None),
    };

    private static readonly Dictionary<string, CanonicalKind> KindsByName = Spellings
        .Select(s => KeyValuePair.Create(s.Value.Name.ToLowerInvariant(), s.Key))
        .Concat([
            KeyValuePair.Create("int", CanonicalKind.Int32),
            KeyValuePair.Create("real", CanonicalKind.Float64),
            KeyValuePair.Create("numeric", CanonicalKind.Decimal),
        ])
        .ToDictionary(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyList<string> SupportedNativeTypes { get; } =
    [
        "BOOLEAN", "SMALLINT", "INTEGER", "INT", "BIGINT", "DECIMAL TEXT(p,s)", "NUMERIC", "FLOAT", "DOUBLE", "REAL",
        "CHAR(n)", "VARCHAR(n)", "TEXT", "BLOB(n)", "BLOB", "DATE", "TIME(p)", "TIMESTAMP(p)", "TIMESTAMPTZ(p)", "UUID", "JSON TEXT",
    ];

    /// <inheritdoc />
    public string ToDdl(CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var (name, facets) = Spellings[type.Kind];
        return facets switch
        {
            Facets.Length when type.Length is { } n => Invariant($"{name}({n})"),
            Facets.Precision when type.Precision is { } p => Invariant($"{name}({p})"),
            Facets.PrecisionScale when type.Precision is { } p => type.Scale is { } s ? Invariant($"{name}({p},{s})") : Invariant($"{name}({p})"),
            _ => name,
        };
    }

    /// <summary>
    /// Splits a declared type as <c>pragma_table_xinfo</c> reports it (e.g. <c>DECIMAL TEXT(12,2)</c>) into a lower-case
    /// name with single spaces and its facets: the number of CHAR, VARCHAR and BLOB is a length, any other is a precision.
    /// </summary>
    internal static NativeColumnType ParseDeclared(string declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var match = DeclaredTypePattern().Match(declared);
        if (!match.Success)
            return new NativeColumnType(declared.Trim().ToLowerInvariant(), FullType: declared);
        var name = WhitespacePattern().Replace(match.Groups["name"].Value.Trim(), " ").ToLowerInvariant();
        var first = ParseFacet(match.Groups["first"]);
        var second = ParseFacet(match.Groups["second"]);
        var isLength = KindsByName.TryGetValue(name, out var kind) && Spellings[kind].Facets == Facets.Length;
        return isLength
            ? new NativeColumnType(name, Length: first, Precision: second, FullType: declared)
            : new NativeColumnType(name, Precision: first, Scale: second, FullType: declared);
    }

    /// <inheritdoc />
    public CanonicalType FromNative(DbObjectName table, string column, NativeColumnType native)
    {
        ArgumentNullException.ThrowIfNull(native);
        if (!KindsByName.TryGetValue(native.TypeName, out var kind))
            throw Unsupported(table, column, native);
        var hasLength = native.Length is not null;
        var hasPrecision = native.Precision is not null;
        var hasScale = native.Scale is not null;
        // INT, REAL and NUMERIC are read but never written, so they take no facets.
        var facets = Spellings[kind].Name.Equals(native.TypeName, StringComparison.OrdinalIgnoreCase) ? Spellings[kind].Facets : Facets.None;
        var fits = facets switch
        {
            Facets.Length => !hasPrecision && !hasScale,
            Facets.Precision => !hasLength && !hasScale,
            Facets.PrecisionScale => !hasLength && (hasPrecision || !hasScale),
            _ => !hasLength && !hasPrecision && !hasScale,
        };
        if (!fits)
            throw Unsupported(table, column, native);
        return new CanonicalType(kind, native.Length, native.Precision, native.Scale);
    }

    private SchemaException Unsupported(DbObjectName table, string column, NativeColumnType native)
    {
        var spelled = string.IsNullOrWhiteSpace(native.FullType ?? native.TypeName) ? "(no declared type)" : native.FullType ?? native.TypeName;
        return new SchemaException(
            $"Table {table} column {column} has type {spelled}, which repl cannot replicate. " +
            $"Supported SQLite types: {string.Join(", ", SupportedNativeTypes)}.");
    }

    private static int? ParseFacet(Group group) =>
        group.Success ? int.Parse(group.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_\s]*?)\s*(\(\s*(?<first>[+-]?\d{1,9})\s*(,\s*(?<second>[+-]?\d{1,9})\s*)?\))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredTypePattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
