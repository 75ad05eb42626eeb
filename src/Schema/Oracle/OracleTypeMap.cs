namespace Repl.Schema.Oracle;

/// <summary>
/// Oracle's row of the canonical type map. Not run against a live Oracle here: written from the Oracle SQL Language
/// Reference and golden-tested.
/// <para>Canonical → Oracle DDL (slave side):</para>
/// <list type="table">
/// <item><term>Boolean</term><description>NUMBER(1) with <c>CHECK (c IN (0, 1))</c> (no BOOLEAN column type before 23ai)</description></item>
/// <item><term>Int16/Int32/Int64</term><description>NUMBER(5)/NUMBER(10)/NUMBER(19)</description></item>
/// <item><term>Decimal(p,s)</term><description>NUMBER(p,s); NUMBER(p) without scale; NUMBER without precision or beyond
/// Oracle's 38 digits (every value <see cref="decimal"/> can carry still fits)</description></item>
/// <item><term>Float32/Float64</term><description>BINARY_FLOAT/BINARY_DOUBLE</description></item>
/// <item><term>Char(n)</term><description>CHAR(n CHAR) up to 2000, else like VarChar(n) (pad semantics are not replicated)</description></item>
/// <item><term>VarChar(n)</term><description>VARCHAR2(n CHAR) up to 4000, else CLOB</description></item>
/// <item><term>Text</term><description>CLOB</description></item>
/// <item><term>Binary(n)</term><description>RAW(n) up to 2000, else BLOB; Binary → BLOB</description></item>
/// <item><term>Date</term><description>DATE (time of day 00:00:00)</description></item>
/// <item><term>Time(p)</term><description>INTERVAL DAY(0) TO SECOND(p)</description></item>
/// <item><term>Timestamp(p)</term><description>TIMESTAMP(p)</description></item>
/// <item><term>TimestampTz(p)</term><description>TIMESTAMP(p) WITH TIME ZONE (values written in UTC)</description></item>
/// <item><term>Uuid</term><description>RAW(16), big-endian (RFC 4122) byte order, see <see cref="OracleValues"/></description></item>
/// <item><term>Json</term><description>CLOB with <c>CHECK (c IS JSON)</c></description></item>
/// </list>
/// A missing fractional-second precision is written as 6, Oracle's default, explicitly.
/// Under MAX_STRING_SIZE = STANDARD a VARCHAR2(n CHAR) column still holds at most 4000 bytes and CHAR(n CHAR) 2000
/// bytes, so near those lengths multibyte text can be refused by Oracle (ORA-12899) even though it fits n characters.
/// Oracle cannot index a CLOB or BLOB, nor make a TIMESTAMP WITH TIME ZONE part of a primary key or unique constraint:
/// key columns of those types are written differently (see <see cref="ToKeyDdl"/> and <see cref="OracleDdl"/>).
/// <para>Oracle → canonical (master side and read-back): NUMBER(p,0) → Int16 (p ≤ 4), Int32 (p ≤ 9), Int64 (p ≤ 18),
/// else Decimal(p,0); NUMBER(p,s) → Decimal(p,s) (a scale above the precision widens the precision to the scale, a negative
/// scale becomes Decimal(p−s,0)); NUMBER → Decimal; NUMBER(*,s) (e.g. INTEGER) → Decimal(38,s); BINARY_FLOAT → Float32;
/// BINARY_DOUBLE and FLOAT(b) → Float64 (FLOAT(b) is a decimal NUMBER: digits beyond a double's 15-17 are rounded);
/// CHAR/NCHAR(n) → Char(n); VARCHAR2/NVARCHAR2(n) → VarChar(n) (n in characters, also for BYTE semantics, which hold at
/// most n characters); CLOB/NCLOB → Text; RAW(n) → Binary(n); BLOB → Binary; TIMESTAMP(p) → Timestamp(p);
/// TIMESTAMP(p) WITH [LOCAL] TIME ZONE → TimestampTz(p); INTERVAL DAY(0) TO SECOND(p) → Time(p).</para>
/// <para><b>DATE → Timestamp(0)</b>: an Oracle DATE has a time of day to the second, so it is a timestamp, not a date.
/// A slave's Date column therefore reads back as Timestamp(0); likewise integers read back one size wider (NUMBER(p) holds
/// p full digits: NUMBER(5) → Int32, NUMBER(10) → Int64, NUMBER(19) → Decimal(19,0)), Boolean as Int16, Uuid as Binary(16)
/// (only the slave DDL writes RAW(16) for a UUID; a master's RAW(16) is binary), Json as Text and long VarChar as Text.</para>
/// <para><b>'' = NULL</b>: Oracle stores an empty string (and an empty RAW or LOB) as NULL. Empty strings from the master
/// therefore become NULL on Oracle slaves; <see cref="OracleDdl"/> leaves non-key character and binary columns nullable
/// so those rows are not refused, and an empty string in a key column cannot be replicated to Oracle at all.</para>
/// </summary>
public sealed class OracleTypeMap : ITypeMap
{
    /// <summary>Longest VARCHAR2 under MAX_STRING_SIZE = STANDARD, in characters as written (bytes as enforced).</summary>
    internal const int MaxVarChar = 4000;

    /// <summary>Longest CHAR, in characters as written (bytes as enforced).</summary>
    internal const int MaxChar = 2000;

    /// <summary>Longest RAW under MAX_STRING_SIZE = STANDARD, in bytes.</summary>
    internal const int MaxRaw = 2000;

    private const int MaxNumberPrecision = 38;
    private const int DefaultFractionDigits = 6;

    /// <inheritdoc />
    public IReadOnlyList<string> SupportedNativeTypes { get; } =
    [
        "NUMBER(p,s)", "NUMBER", "FLOAT(b)", "BINARY_FLOAT", "BINARY_DOUBLE", "CHAR(n)", "NCHAR(n)", "VARCHAR2(n)", "NVARCHAR2(n)",
        "CLOB", "NCLOB", "RAW(n)", "BLOB", "DATE", "TIMESTAMP(p)", "TIMESTAMP(p) WITH TIME ZONE", "TIMESTAMP(p) WITH LOCAL TIME ZONE",
        "INTERVAL DAY(0) TO SECOND(p)",
    ];

    /// <inheritdoc />
    public string ToDdl(CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            CanonicalKind.Boolean => "NUMBER(1)",
            CanonicalKind.Int16 => "NUMBER(5)",
            CanonicalKind.Int32 => "NUMBER(10)",
            CanonicalKind.Int64 => "NUMBER(19)",
            CanonicalKind.Decimal => type.Precision switch
            {
                null or > MaxNumberPrecision => "NUMBER",
                { } p when type.Scale is { } s => Invariant($"NUMBER({p},{s})"),
                { } p => Invariant($"NUMBER({p})"),
            },
            CanonicalKind.Float32 => "BINARY_FLOAT",
            CanonicalKind.Float64 => "BINARY_DOUBLE",
            CanonicalKind.Char when type.Length is { } n and <= MaxChar => Invariant($"CHAR({n} CHAR)"),
            CanonicalKind.Char or CanonicalKind.VarChar when type.Length is { } n and <= MaxVarChar => Invariant($"VARCHAR2({n} CHAR)"),
            CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json => "CLOB",
            CanonicalKind.Binary when type.Length is { } n and <= MaxRaw => Invariant($"RAW({n})"),
            CanonicalKind.Binary => "BLOB",
            CanonicalKind.Date => "DATE",
            CanonicalKind.Time => Invariant($"INTERVAL DAY(0) TO SECOND({type.Precision ?? DefaultFractionDigits})"),
            CanonicalKind.Timestamp => Invariant($"TIMESTAMP({type.Precision ?? DefaultFractionDigits})"),
            CanonicalKind.TimestampTz => Invariant($"TIMESTAMP({type.Precision ?? DefaultFractionDigits}) WITH TIME ZONE"),
            CanonicalKind.Uuid => "RAW(16)",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown canonical kind."),
        };
    }

    /// <summary>
    /// The DDL spelling for a column of the replication key. Oracle cannot put a CLOB or BLOB in a key, so such types
    /// become VARCHAR2(4000 CHAR) or RAW(2000), the longest indexable spellings (longer key values are refused by Oracle);
    /// nor a TIMESTAMP WITH TIME ZONE (ORA-02329), so a TimestampTz key column is a TIMESTAMP(p) holding UTC, as on MariaDB.
    /// </summary>
    internal string ToKeyDdl(CanonicalType type) => type.Kind == CanonicalKind.TimestampTz
        ? Invariant($"TIMESTAMP({type.Precision ?? DefaultFractionDigits})")
        : ToDdl(type) switch
        {
            "CLOB" => Invariant($"VARCHAR2({MaxVarChar} CHAR)"),
            "BLOB" => Invariant($"RAW({MaxRaw})"),
            var ddl => ddl,
        };

    /// <summary>Whether a column of <paramref name="type"/> becomes a LOB, which Oracle cannot index or constrain as unique.</summary>
    internal bool IsLob(CanonicalType type) => ToDdl(type) is "CLOB" or "BLOB";

    /// <summary>The inline CHECK that keeps a column of <paramref name="type"/> to its canonical domain, or null.</summary>
    internal static string? CheckFor(CanonicalType type, string quotedColumn) => type.Kind switch
    {
        CanonicalKind.Boolean => $"CHECK ({quotedColumn} IN (0, 1))",
        CanonicalKind.Json => $"CHECK ({quotedColumn} IS JSON)",
        _ => null,
    };

    /// <summary>
    /// Whether Oracle stores an empty value of <paramref name="type"/> as NULL ('' for character types, an empty RAW or LOB).
    /// </summary>
    internal static bool EmptyIsNull(CanonicalType type) =>
        type.Kind is CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json or CanonicalKind.Binary;

    /// <inheritdoc />
    public CanonicalType FromNative(DbObjectName table, string column, NativeColumnType native)
    {
        ArgumentNullException.ThrowIfNull(native);
        var type = native.TypeName switch
        {
            "number" => FromNumber(native.Precision, native.Scale),
            "float" => new CanonicalType(CanonicalKind.Float64),
            "binary_float" => new CanonicalType(CanonicalKind.Float32),
            "binary_double" => new CanonicalType(CanonicalKind.Float64),
            "char" or "nchar" when native.Length is not null => new CanonicalType(CanonicalKind.Char, native.Length),
            "varchar2" or "nvarchar2" when native.Length is not null => new CanonicalType(CanonicalKind.VarChar, native.Length),
            "clob" or "nclob" => new CanonicalType(CanonicalKind.Text),
            "raw" when native.Length is not null => new CanonicalType(CanonicalKind.Binary, native.Length),
            "blob" => new CanonicalType(CanonicalKind.Binary),
            "date" => new CanonicalType(CanonicalKind.Timestamp, Precision: 0),
            "timestamp" => new CanonicalType(CanonicalKind.Timestamp, Precision: native.Precision),
            "timestamp with time zone" or "timestamp with local time zone" => new CanonicalType(CanonicalKind.TimestampTz, Precision: native.Precision),
            "interval day to second" when native.Precision == 0 => new CanonicalType(CanonicalKind.Time, Precision: native.Scale),
            _ => null,
        };
        return type ?? throw new SchemaException(
            $"Table {table} column {column} has type {native.FullType ?? native.TypeName.ToUpperInvariant()}, which repl cannot replicate. " +
            $"Supported Oracle types: {string.Join(", ", SupportedNativeTypes)}.");
    }

    private static CanonicalType FromNumber(int? precision, int? scale) => (precision, scale) switch
    {
        (null, null) => new CanonicalType(CanonicalKind.Decimal),
        (null, { } s) => new CanonicalType(CanonicalKind.Decimal, Precision: MaxNumberPrecision, Scale: s),
        ({ } p, null or 0) when p <= 4 => new CanonicalType(CanonicalKind.Int16),
        ({ } p, null or 0) when p <= 9 => new CanonicalType(CanonicalKind.Int32),
        ({ } p, null or 0) when p <= 18 => new CanonicalType(CanonicalKind.Int64),
        ({ } p, null or 0) => new CanonicalType(CanonicalKind.Decimal, Precision: p, Scale: 0),
        ({ } p, { } s) when s < 0 => new CanonicalType(CanonicalKind.Decimal, Precision: p - s, Scale: 0),
        ({ } p, { } s) => new CanonicalType(CanonicalKind.Decimal, Precision: Math.Max(p, s), Scale: s),
    };

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
