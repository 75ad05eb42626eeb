using System.Globalization;

namespace Repl.Schema.MySql;

/// <summary>
/// The MariaDB/MySQL row of the canonical type map (TYPEMAP.md).
/// <para>
/// Native to canonical (master side): <c>tinyint(1)</c> is Boolean, other tinyint and smallint Int16, mediumint and int
/// Int32, bigint Int64; <c>unsigned</c> widens (tinyint/smallint to Int32, mediumint/int to Int64, bigint to
/// Decimal(20,0)); decimal(p,s); float Float32; double Float64; char(n); varchar(n); the text types Text, except a
/// longtext with a <c>json_valid()</c> CHECK (MariaDB's JSON) which the catalog reports as <c>json</c>: Json;
/// binary(n)/varbinary(n) Binary(n); the blob types Binary; date; time(p); datetime(p) Timestamp(p); timestamp(p)
/// TimestampTz(p); uuid; enum(...) VarChar of its longest label. Anything else (geometry, point, set, bit, year,
/// inet4/inet6, ...) is refused naming table, column and type.
/// </para>
/// <para>
/// Canonical to DDL (slave side): as the table in TYPEMAP.md, with MariaDB's limits: Decimal without precision is
/// decimal(65,30); precision above 65 is refused; char(n) above 255 becomes varchar(n); varchar above 16383 characters
/// (65,535 bytes in utf8mb4) becomes longtext, varbinary above 65532 bytes longblob; time and datetime always carry
/// their fractional digits (MariaDB's default is 0, which would truncate), 6 when the precision is unknown.
/// TimestampTz is a datetime(p) holding UTC (TIMESTAMP's 1970-2038 range is too small), so a MariaDB slave table reads
/// back as Timestamp. Known limit: Decimal values beyond System.Decimal (28-29 significant digits) are not supported.
/// </para>
/// </summary>
public sealed class MySqlTypeMap : ITypeMap
{
    /// <summary>Longest varchar in utf8mb4: 65,535 row bytes at 4 bytes per character.</summary>
    public const int MaxVarCharLength = 16383;

    /// <summary>Longest char(n).</summary>
    public const int MaxCharLength = 255;

    /// <summary>Longest varbinary(n).</summary>
    public const int MaxVarBinaryLength = 65532;

    /// <summary>Largest decimal precision.</summary>
    public const int MaxDecimalPrecision = 65;

    /// <summary>Largest decimal scale.</summary>
    public const int MaxDecimalScale = 38;

    private const int UnknownFractionDigits = 6;

    // Integer types: the canonical type when signed and when unsigned.
    private static readonly Dictionary<string, (CanonicalType Signed, CanonicalType Unsigned)> Integers = new(StringComparer.Ordinal)
    {
        ["tinyint"] = (new(CanonicalKind.Int16), new(CanonicalKind.Int32)),
        ["smallint"] = (new(CanonicalKind.Int16), new(CanonicalKind.Int32)),
        ["mediumint"] = (new(CanonicalKind.Int32), new(CanonicalKind.Int64)),
        ["int"] = (new(CanonicalKind.Int32), new(CanonicalKind.Int64)),
        ["bigint"] = (new(CanonicalKind.Int64), new(CanonicalKind.Decimal, Precision: 20, Scale: 0)),
    };

    // Every other supported native type, from the catalog's DATA_TYPE and facets.
    private static readonly Dictionary<string, Func<NativeColumnType, CanonicalType>> Natives = new(StringComparer.Ordinal)
    {
        ["decimal"] = n => new(CanonicalKind.Decimal, Precision: n.Precision, Scale: n.Scale ?? 0),
        ["float"] = _ => new(CanonicalKind.Float32),
        ["double"] = _ => new(CanonicalKind.Float64),
        ["char"] = n => new(CanonicalKind.Char, Length: n.Length),
        ["varchar"] = n => new(CanonicalKind.VarChar, Length: n.Length),
        ["enum"] = n => new(CanonicalKind.VarChar, Length: n.Length),
        ["tinytext"] = _ => new(CanonicalKind.Text),
        ["text"] = _ => new(CanonicalKind.Text),
        ["mediumtext"] = _ => new(CanonicalKind.Text),
        ["longtext"] = _ => new(CanonicalKind.Text),
        ["json"] = _ => new(CanonicalKind.Json),
        ["binary"] = n => new(CanonicalKind.Binary, Length: n.Length),
        ["varbinary"] = n => new(CanonicalKind.Binary, Length: n.Length),
        ["tinyblob"] = _ => new(CanonicalKind.Binary),
        ["blob"] = _ => new(CanonicalKind.Binary),
        ["mediumblob"] = _ => new(CanonicalKind.Binary),
        ["longblob"] = _ => new(CanonicalKind.Binary),
        ["date"] = _ => new(CanonicalKind.Date),
        ["time"] = n => new(CanonicalKind.Time, Precision: n.Precision ?? 0),
        ["datetime"] = n => new(CanonicalKind.Timestamp, Precision: n.Precision ?? 0),
        ["timestamp"] = n => new(CanonicalKind.TimestampTz, Precision: n.Precision ?? 0),
        ["uuid"] = _ => new(CanonicalKind.Uuid),
    };

    private static readonly Dictionary<CanonicalKind, Func<CanonicalType, string>> Ddl = new()
    {
        [CanonicalKind.Boolean] = _ => "tinyint(1)",
        [CanonicalKind.Int16] = _ => "smallint",
        [CanonicalKind.Int32] = _ => "int",
        [CanonicalKind.Int64] = _ => "bigint",
        [CanonicalKind.Decimal] = DecimalDdl,
        [CanonicalKind.Float32] = _ => "float",
        [CanonicalKind.Float64] = _ => "double",
        [CanonicalKind.Char] = t => t.Length is null ? "longtext"
            : t.Length <= MaxCharLength ? Invariant($"char({t.Length})")
            : t.Length <= MaxVarCharLength ? Invariant($"varchar({t.Length})") : "longtext",
        [CanonicalKind.VarChar] = t => t.Length is null or > MaxVarCharLength ? "longtext" : Invariant($"varchar({t.Length})"),
        [CanonicalKind.Text] = _ => "longtext",
        [CanonicalKind.Binary] = t => t.Length is null or > MaxVarBinaryLength ? "longblob" : Invariant($"varbinary({t.Length})"),
        [CanonicalKind.Date] = _ => "date",
        [CanonicalKind.Time] = t => Invariant($"time({FractionDigits(t)})"),
        [CanonicalKind.Timestamp] = t => Invariant($"datetime({FractionDigits(t)})"),
        [CanonicalKind.TimestampTz] = t => Invariant($"datetime({FractionDigits(t)})"),
        [CanonicalKind.Uuid] = _ => "uuid",
        [CanonicalKind.Json] = _ => "json",
    };

    /// <inheritdoc/>
    public IReadOnlyList<string> SupportedNativeTypes { get; } =
    [
        "tinyint(1)", "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "char", "varchar", "enum", "tinytext", "text", "mediumtext", "longtext", "json", "binary", "varbinary",
        "tinyblob", "blob", "mediumblob", "longblob", "date", "time", "datetime", "timestamp", "uuid",
    ];

    /// <inheritdoc/>
    public CanonicalType FromNative(DbObjectName table, string column, NativeColumnType native)
    {
        ArgumentNullException.ThrowIfNull(native);
        var fullType = (native.FullType ?? native.TypeName).ToLowerInvariant();
        var name = native.TypeName.ToLowerInvariant();
        if (Integers.TryGetValue(name, out var integer))
        {
            if (string.Equals(fullType, "tinyint(1)", StringComparison.Ordinal))
                return new CanonicalType(CanonicalKind.Boolean);
            return fullType.Contains("unsigned", StringComparison.Ordinal) ? integer.Unsigned : integer.Signed;
        }
        if (Natives.TryGetValue(name, out var map))
            return map(native);
        throw new SchemaException(
            $"Table {table} column {column} has type {native.FullType ?? native.TypeName}, which repl cannot replicate. " +
            $"Supported MariaDB types: {string.Join(", ", SupportedNativeTypes)} (integer types also unsigned).");
    }

    /// <inheritdoc/>
    public string ToDdl(CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Ddl[type.Kind](type);
    }

    private static string DecimalDdl(CanonicalType type)
    {
        if (type.Precision is not { } precision)
            return "decimal(65,30)";
        var scale = type.Scale ?? 0;
        // A negative scale rounds to tens or hundreds: the values are integers of precision - scale digits. A scale
        // above the precision (Oracle NUMBER(3,5)) needs as many digits as the scale.
        var (p, s) = scale < 0 ? (precision - scale, 0) : (Math.Max(precision, scale), scale);
        if (p > MaxDecimalPrecision || s > MaxDecimalScale)
            throw new SchemaException(
                $"{type} does not fit MariaDB, whose decimal holds at most {MaxDecimalPrecision} digits, {MaxDecimalScale} of them after the point. " +
                "Narrow the column on the master, or replicate it to another slave vendor.");
        return Invariant($"decimal({p},{s})");
    }

    private static int FractionDigits(CanonicalType type) => type.Precision ?? UnknownFractionDigits;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
