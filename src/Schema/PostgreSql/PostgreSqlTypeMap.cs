namespace Repl.Schema.PostgreSql;

/// <summary>
/// PostgreSQL's row of the canonical type map (TYPEMAP.md), as two tables: native type to canonical type (master side,
/// keyed by the catalog's <c>format_type</c> spelling, with the short aliases such as <c>int4</c> or <c>timestamptz</c>),
/// and canonical type to DDL (slave side).
/// </summary>
/// <remarks>
/// Decisions: <c>character varying</c> without a length and <c>text</c> read as Text; <c>character</c> without a length
/// (declared <c>bpchar</c>) reads as Char without a length and is written back as <c>bpchar</c>; json and jsonb read as
/// Json and are written as <c>json</c>, which keeps the document text exactly. Time, Timestamp and TimestampTz without a
/// declared precision read as precision 6 (PostgreSQL's default) so other vendors keep the microseconds, and DDL always
/// writes the precision; precisions above 6 (Oracle TIMESTAMP(9)) are written as 6, PostgreSQL's maximum.
/// <c>numeric(p,s)</c> with a negative scale (PostgreSQL 15) holds integers of up to p - s digits and reads as
/// Decimal(p - s, 0); with a scale above the precision it reads as Decimal(s, s); both hold every value exactly.
/// Values beyond System.Decimal (about 28 significant digits) cannot be replicated even where the column allows them.
/// Serial and identity columns are flagged by the catalog reader, not here; slaves declare them as plain columns.
/// </remarks>
public sealed class PostgreSqlTypeMap : ITypeMap
{
    // PostgreSQL's default fractional-second precision is also its maximum.
    private const int DefaultFractionalDigits = 6;

    private static readonly (string Name, Func<NativeColumnType, CanonicalType> Map)[] NativeTypes =
    [
        ("boolean", _ => new(CanonicalKind.Boolean)),
        ("smallint", _ => new(CanonicalKind.Int16)),
        ("integer", _ => new(CanonicalKind.Int32)),
        ("bigint", _ => new(CanonicalKind.Int64)),
        ("numeric", Numeric),
        ("real", _ => new(CanonicalKind.Float32)),
        ("double precision", _ => new(CanonicalKind.Float64)),
        ("character", n => new(CanonicalKind.Char, n.Length)),
        ("character varying", n => n.Length is null ? new(CanonicalKind.Text) : new(CanonicalKind.VarChar, n.Length)),
        ("text", _ => new(CanonicalKind.Text)),
        ("bytea", _ => new(CanonicalKind.Binary)),
        ("date", _ => new(CanonicalKind.Date)),
        ("time without time zone", n => new(CanonicalKind.Time, Precision: n.Precision ?? DefaultFractionalDigits)),
        ("timestamp without time zone", n => new(CanonicalKind.Timestamp, Precision: n.Precision ?? DefaultFractionalDigits)),
        ("timestamp with time zone", n => new(CanonicalKind.TimestampTz, Precision: n.Precision ?? DefaultFractionalDigits)),
        ("uuid", _ => new(CanonicalKind.Uuid)),
        ("json", _ => new(CanonicalKind.Json)),
        ("jsonb", _ => new(CanonicalKind.Json)),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bool"] = "boolean",
        ["int2"] = "smallint",
        ["int"] = "integer",
        ["int4"] = "integer",
        ["int8"] = "bigint",
        ["decimal"] = "numeric",
        ["float4"] = "real",
        ["float8"] = "double precision",
        ["char"] = "character",
        ["bpchar"] = "character",
        ["varchar"] = "character varying",
        ["time"] = "time without time zone",
        ["timestamp"] = "timestamp without time zone",
        ["timestamptz"] = "timestamp with time zone",
    };

    private static readonly Dictionary<string, Func<NativeColumnType, CanonicalType>> FromNativeTable =
        NativeTypes.ToDictionary(t => t.Name, t => t.Map, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<CanonicalKind, Func<CanonicalType, string>> DdlTable = new()
    {
        [CanonicalKind.Boolean] = _ => "boolean",
        [CanonicalKind.Int16] = _ => "smallint",
        [CanonicalKind.Int32] = _ => "integer",
        [CanonicalKind.Int64] = _ => "bigint",
        [CanonicalKind.Decimal] = t => t.Precision is null ? "numeric" : Invariant($"numeric({t.Precision},{t.Scale ?? 0})"),
        [CanonicalKind.Float32] = _ => "real",
        [CanonicalKind.Float64] = _ => "double precision",
        [CanonicalKind.Char] = t => t.Length is null ? "bpchar" : Invariant($"char({t.Length})"),
        [CanonicalKind.VarChar] = t => t.Length is null ? "text" : Invariant($"varchar({t.Length})"),
        [CanonicalKind.Text] = _ => "text",
        [CanonicalKind.Binary] = _ => "bytea",
        [CanonicalKind.Date] = _ => "date",
        [CanonicalKind.Time] = t => Invariant($"time({FractionalDigits(t)})"),
        [CanonicalKind.Timestamp] = t => Invariant($"timestamp({FractionalDigits(t)})"),
        [CanonicalKind.TimestampTz] = t => Invariant($"timestamptz({FractionalDigits(t)})"),
        [CanonicalKind.Uuid] = _ => "uuid",
        [CanonicalKind.Json] = _ => "json",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> SupportedNativeTypes { get; } = NativeTypes.Select(t => t.Name).ToArray();

    /// <inheritdoc />
    public CanonicalType FromNative(DbObjectName table, string column, NativeColumnType native)
    {
        var name = native.TypeName.Trim();
        if (FromNativeTable.TryGetValue(Aliases.GetValueOrDefault(name, name), out var map))
            return map(native);
        throw new SchemaException(
            $"Table {table} column {column} has type {native.FullType ?? native.TypeName}, which repl cannot replicate. " +
            $"Supported PostgreSQL types: {string.Join(", ", SupportedNativeTypes)}.");
    }

    /// <inheritdoc />
    public string ToDdl(CanonicalType type) => DdlTable[type.Kind](type);

    private static CanonicalType Numeric(NativeColumnType native) => (native.Precision, native.Scale ?? 0) switch
    {
        (null, _) => new(CanonicalKind.Decimal),
        (int p, < 0 and var s) => new(CanonicalKind.Decimal, Precision: p - s, Scale: 0),
        (int p, var s) when s > p => new(CanonicalKind.Decimal, Precision: s, Scale: s),
        (int p, var s) => new(CanonicalKind.Decimal, Precision: p, Scale: s),
    };

    private static int FractionalDigits(CanonicalType type) => Math.Min(type.Precision ?? DefaultFractionalDigits, DefaultFractionalDigits);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
