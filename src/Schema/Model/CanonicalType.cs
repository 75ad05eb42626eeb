namespace Repl.Schema;

/// <summary>The vendor-neutral kinds of column repl can replicate.</summary>
public enum CanonicalKind
{
    /// <summary>true/false.</summary>
    Boolean,
    /// <summary>16-bit signed integer.</summary>
    Int16,
    /// <summary>32-bit signed integer.</summary>
    Int32,
    /// <summary>64-bit signed integer.</summary>
    Int64,
    /// <summary>Exact decimal with optional precision and scale.</summary>
    Decimal,
    /// <summary>IEEE 754 single precision.</summary>
    Float32,
    /// <summary>IEEE 754 double precision.</summary>
    Float64,
    /// <summary>Fixed-length character string of <see cref="CanonicalType.Length"/> characters.</summary>
    Char,
    /// <summary>Variable-length character string of at most <see cref="CanonicalType.Length"/> characters.</summary>
    VarChar,
    /// <summary>Unbounded character data (text, CLOB, LONGTEXT).</summary>
    Text,
    /// <summary>Binary data; bounded when <see cref="CanonicalType.Length"/> is set, else BLOB/bytea.</summary>
    Binary,
    /// <summary>Calendar date without time.</summary>
    Date,
    /// <summary>Time of day without date or zone; <see cref="CanonicalType.Precision"/> is fractional-second digits.</summary>
    Time,
    /// <summary>Date and time without zone; <see cref="CanonicalType.Precision"/> is fractional-second digits.</summary>
    Timestamp,
    /// <summary>An instant (date and time in UTC); <see cref="CanonicalType.Precision"/> is fractional-second digits.</summary>
    TimestampTz,
    /// <summary>128-bit UUID.</summary>
    Uuid,
    /// <summary>JSON document, replicated as text.</summary>
    Json,
}

/// <summary>
/// A canonical column type: the kind plus the length (Char, VarChar, Binary), precision and scale (Decimal),
/// or fractional-second precision (Time, Timestamp, TimestampTz). Unused facets are null.
/// </summary>
public sealed record CanonicalType(CanonicalKind Kind, int? Length = null, int? Precision = null, int? Scale = null)
{
    /// <summary>A short readable spelling such as <c>varchar(200)</c> or <c>decimal(12,2)</c>, used in messages.</summary>
    public override string ToString() => Kind switch
    {
        CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Binary when Length is not null
            => FormattableString.Invariant($"{Kind.ToString().ToLowerInvariant()}({Length})"),
        CanonicalKind.Decimal when Precision is not null
            => FormattableString.Invariant($"decimal({Precision},{Scale ?? 0})"),
        CanonicalKind.Time or CanonicalKind.Timestamp or CanonicalKind.TimestampTz when Precision is not null
            => FormattableString.Invariant($"{Kind.ToString().ToLowerInvariant()}({Precision})"),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
