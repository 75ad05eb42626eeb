using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Repl.Schema.Oracle;

/// <summary>
/// Moves canonical values in and out of ODP.NET, written against what ODP.NET documents for each Oracle type and NOT run
/// against a live Oracle here: <c>GetValue</c> returns decimal for NUMBER, float/double for BINARY_FLOAT/BINARY_DOUBLE,
/// string for CHAR/VARCHAR2/CLOB, byte[] for RAW/BLOB, DateTime for DATE/TIMESTAMP, DateTime or DateTimeOffset for
/// TIMESTAMP WITH TIME ZONE, and TimeSpan for INTERVAL DAY TO SECOND.
/// <list type="bullet">
/// <item>Uuid ↔ RAW(16) in big-endian (RFC 4122) byte order, <see cref="Guid.ToByteArray(bool)"/> with <c>true</c>, so
/// <c>LOWER(RAWTOHEX(c))</c> is the UUID's text without hyphens (not .NET's mixed-endian <see cref="Guid.ToByteArray()"/>).</item>
/// <item>Boolean ↔ NUMBER(1) 0/1; Date ↔ DATE at midnight; Time ↔ INTERVAL DAY(0) TO SECOND as a TimeSpan.</item>
/// <item>TimestampTz is bound as a DateTimeOffset with offset +00:00. Read back, a DateTimeOffset is converted to UTC;
/// a plain DateTime is taken as UTC, so a reader of a TIMESTAMP WITH TIME ZONE column that is not in UTC must select
/// <c>SYS_EXTRACT_UTC(c)</c> (ODP.NET's GetValue drops the offset).</item>
/// <item>Empty strings and empty byte arrays become NULL in Oracle ('' = NULL); NUMBER values beyond
/// <see cref="decimal"/>'s 28-29 digits make ODP.NET throw and are not supported.</item>
/// </list>
/// <see cref="Bind"/> sets the parameter's <c>OracleDbType</c> by name through reflection when the parameter has one
/// (ODP.NET's <c>OracleParameter</c>), because repl does not reference the driver: strings over 4000 UTF-8 bytes bind as
/// Clob and byte arrays over 2000 bytes as Blob, shorter ones as Varchar2 and Raw.
/// </summary>
public sealed class OracleValues : IValueCodec
{
    private const int MaxVarcharBindBytes = 4000;
    private const int MaxRawBindBytes = 2000;

    /// <inheritdoc />
    public object? Read(DbDataReader reader, int ordinal, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : FromProvider(reader.GetValue(ordinal), type);
    }

    /// <inheritdoc />
    public object? ToProviderValue(object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (value is null or DBNull)
            return DBNull.Value;
        return (type.Kind, value) switch
        {
            (CanonicalKind.Boolean, bool v) => v ? (short)1 : (short)0,
            (CanonicalKind.Int16, short v) => v,
            (CanonicalKind.Int32, int v) => v,
            (CanonicalKind.Int64, long v) => v,
            (CanonicalKind.Decimal, decimal v) => v,
            (CanonicalKind.Float32, float v) => v,
            (CanonicalKind.Float64, double v) => v,
            (CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json, string v) => v,
            (CanonicalKind.Binary, byte[] v) => v,
            (CanonicalKind.Date, DateOnly v) => v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified),
            (CanonicalKind.Time, TimeOnly v) => v.ToTimeSpan(),
            (CanonicalKind.Timestamp, DateTime v) => DateTime.SpecifyKind(v, DateTimeKind.Unspecified),
            (CanonicalKind.TimestampTz, DateTime { Kind: DateTimeKind.Utc } v) => new DateTimeOffset(v),
            (CanonicalKind.Uuid, Guid v) => v.ToByteArray(bigEndian: true),
            _ => throw new ArgumentException(
                $"A {type} value must be {ExpectedClrType(type.Kind)}, but {value.GetType().Name} {value} was given.", nameof(value)),
        };
    }

    /// <inheritdoc />
    public void Bind(DbParameter parameter, object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var providerValue = ToProviderValue(value, type);
        parameter.Value = providerValue;
        var property = parameter.GetType().GetProperty("OracleDbType");
        if (property is { CanWrite: true, PropertyType.IsEnum: true })
            property.SetValue(parameter, Enum.Parse(property.PropertyType, OracleDbTypeOf(providerValue, type)));
    }

    /// <summary>The name of the ODP.NET <c>OracleDbType</c> member a provider value of <paramref name="type"/> binds as.</summary>
    internal static string OracleDbTypeOf(object? providerValue, CanonicalType type) => (type.Kind, providerValue) switch
    {
        (CanonicalKind.Boolean or CanonicalKind.Int16, _) => "Int16",
        (CanonicalKind.Int32, _) => "Int32",
        (CanonicalKind.Int64, _) => "Int64",
        (CanonicalKind.Decimal, _) => "Decimal",
        (CanonicalKind.Float32, _) => "BinaryFloat",
        (CanonicalKind.Float64, _) => "BinaryDouble",
        (CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json, string s)
            when Encoding.UTF8.GetByteCount(s) > MaxVarcharBindBytes => "Clob",
        (CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json, _) => "Varchar2",
        (CanonicalKind.Binary, byte[] { Length: > MaxRawBindBytes }) => "Blob",
        (CanonicalKind.Binary or CanonicalKind.Uuid, _) => "Raw",
        (CanonicalKind.Date, _) => "Date",
        (CanonicalKind.Time, _) => "IntervalDS",
        (CanonicalKind.Timestamp, _) => "TimeStamp",
        (CanonicalKind.TimestampTz, _) => "TimeStampTZ",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown canonical kind."),
    };

    /// <summary>Converts what ODP.NET's <c>GetValue</c> returned for a column of <paramref name="type"/> to the canonical CLR value.</summary>
    internal static object? FromProvider(object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (value is null or DBNull)
            return null;
        var c = CultureInfo.InvariantCulture;
        return (type.Kind, value) switch
        {
            (CanonicalKind.Boolean, decimal or short or int or long) => Convert.ToDecimal(value, c) != 0,
            (CanonicalKind.Int16, decimal or short or int or long) => Convert.ToInt16(value, c),
            (CanonicalKind.Int32, decimal or short or int or long) => Convert.ToInt32(value, c),
            (CanonicalKind.Int64, decimal or short or int or long) => Convert.ToInt64(value, c),
            (CanonicalKind.Decimal, decimal or short or int or long) => Convert.ToDecimal(value, c),
            (CanonicalKind.Float32, float v) => v,
            (CanonicalKind.Float32, double or decimal) => Convert.ToSingle(value, c),
            (CanonicalKind.Float64, double v) => v,
            (CanonicalKind.Float64, float or decimal) => Convert.ToDouble(value, c),
            (CanonicalKind.Char, string v) => v.TrimEnd(' '),
            (CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json, string v) => v,
            (CanonicalKind.Binary, byte[] v) => v,
            (CanonicalKind.Date, DateTime v) => DateOnly.FromDateTime(v),
            (CanonicalKind.Time, TimeSpan v) => TimeOnly.FromTimeSpan(v),
            (CanonicalKind.Timestamp, DateTime v) => DateTime.SpecifyKind(v, DateTimeKind.Unspecified),
            (CanonicalKind.TimestampTz, DateTimeOffset v) => v.UtcDateTime,
            (CanonicalKind.TimestampTz, DateTime v) => DateTime.SpecifyKind(v, DateTimeKind.Utc),
            (CanonicalKind.Uuid, byte[] { Length: 16 } v) => new Guid(v, bigEndian: true),
            _ => throw new InvalidCastException(
                $"Oracle returned a {value.GetType().Name} ({value}) for a {type} column, which repl cannot convert; expected what ODP.NET returns for {new OracleTypeMap().ToDdl(type)}."),
        };
    }

    private static string ExpectedClrType(CanonicalKind kind) => kind switch
    {
        CanonicalKind.Boolean => "a bool",
        CanonicalKind.Int16 => "a short",
        CanonicalKind.Int32 => "an int",
        CanonicalKind.Int64 => "a long",
        CanonicalKind.Decimal => "a decimal",
        CanonicalKind.Float32 => "a float",
        CanonicalKind.Float64 => "a double",
        CanonicalKind.Binary => "a byte[]",
        CanonicalKind.Date => "a DateOnly",
        CanonicalKind.Time => "a TimeOnly",
        CanonicalKind.Timestamp => "a DateTime",
        CanonicalKind.TimestampTz => "a DateTime of Kind Utc",
        CanonicalKind.Uuid => "a Guid",
        _ => "a string",
    };
}
