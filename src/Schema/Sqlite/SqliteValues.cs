using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Repl.Schema.Sqlite;

/// <summary>
/// Moves canonical values in and out of Microsoft.Data.Sqlite. Everything SQLite has no exact storage class for is
/// stored as invariant text that sorts like the value: decimals keep their scale (<c>1.10</c>), dates are
/// <c>yyyy-MM-dd</c>, times and timestamps always carry six fractional digits so text order is time order, instants are
/// UTC with a <c>+00:00</c> suffix, and UUIDs are lower-case text (the driver would bind a <see cref="Guid"/> as a BLOB).
/// Booleans are integers 0/1, Float32 is stored as REAL (a float widens to double exactly) and read back as float.
/// NaN is stored as the text <c>NaN</c> because SQLite turns a NaN REAL into NULL. Sub-microsecond ticks are truncated,
/// and decimals are limited to what <see cref="decimal"/> holds (28-29 significant digits).
/// </summary>
public sealed class SqliteValues : IValueCodec
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string TimeFormat = "HH:mm:ss.ffffff";
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";
    private const string UtcSuffix = "+00:00";
    // Reading also accepts text without fraction digits, as SQLite's own date functions write it.
    private const string TimeReadFormat = "HH:mm:ss.FFFFFFF";
    private const string TimestampReadFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    private const string TimestampTzReadFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz";

    /// <inheritdoc />
    public object? Read(DbDataReader reader, int ordinal, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(type);
        if (reader.IsDBNull(ordinal))
            return null;
        var c = CultureInfo.InvariantCulture;
        return type.Kind switch
        {
            CanonicalKind.Boolean => reader.GetInt64(ordinal) != 0,
            CanonicalKind.Int16 => checked((short)reader.GetInt64(ordinal)),
            CanonicalKind.Int32 => checked((int)reader.GetInt64(ordinal)),
            CanonicalKind.Int64 => reader.GetInt64(ordinal),
            CanonicalKind.Decimal => decimal.Parse(reader.GetString(ordinal), NumberStyles.Float, c),
            CanonicalKind.Float32 => (float)ReadDouble(reader, ordinal),
            CanonicalKind.Float64 => ReadDouble(reader, ordinal),
            CanonicalKind.Char => reader.GetString(ordinal).TrimEnd(' '),
            CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json => reader.GetString(ordinal),
            CanonicalKind.Binary => reader.GetFieldValue<byte[]>(ordinal),
            CanonicalKind.Date => DateOnly.ParseExact(reader.GetString(ordinal), DateFormat, c),
            CanonicalKind.Time => TimeOnly.ParseExact(reader.GetString(ordinal), TimeReadFormat, c),
            CanonicalKind.Timestamp => DateTime.ParseExact(reader.GetString(ordinal), TimestampReadFormat, c, DateTimeStyles.None),
            CanonicalKind.TimestampTz => DateTime.ParseExact(reader.GetString(ordinal), TimestampTzReadFormat, c, DateTimeStyles.AdjustToUniversal),
            // GetGuid reads both the text repl writes and the 16-byte BLOB the driver writes by default.
            CanonicalKind.Uuid => reader.GetGuid(ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown canonical kind."),
        };
    }

    /// <inheritdoc />
    public object? ToProviderValue(object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (value is null or DBNull)
            return DBNull.Value;
        var c = CultureInfo.InvariantCulture;
        return (type.Kind, value) switch
        {
            (CanonicalKind.Boolean, bool v) => v ? 1L : 0L,
            (CanonicalKind.Int16, short v) => (long)v,
            (CanonicalKind.Int32, int v) => (long)v,
            (CanonicalKind.Int64, long v) => v,
            (CanonicalKind.Decimal, decimal v) => v.ToString(c),
            (CanonicalKind.Float32, float v) => float.IsNaN(v) ? "NaN" : (object)(double)v,
            (CanonicalKind.Float64, double v) => double.IsNaN(v) ? "NaN" : (object)v,
            (CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json, string v) => v,
            (CanonicalKind.Binary, byte[] v) => v,
            (CanonicalKind.Date, DateOnly v) => v.ToString(DateFormat, c),
            (CanonicalKind.Time, TimeOnly v) => v.ToString(TimeFormat, c),
            (CanonicalKind.Timestamp, DateTime v) => v.ToString(TimestampFormat, c),
            (CanonicalKind.TimestampTz, DateTime { Kind: DateTimeKind.Utc } v) => v.ToString(TimestampFormat, c) + UtcSuffix,
            (CanonicalKind.Uuid, Guid v) => v.ToString("D", c),
            _ => throw new ArgumentException(
                $"A {type} value must be {ExpectedClrType(type.Kind)}, but {value.GetType().Name} {value} was given.", nameof(value)),
        };
    }

    /// <inheritdoc />
    public void Bind(DbParameter parameter, object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var providerValue = ToProviderValue(value, type);
        // The storage class follows the provider value; an earlier row's type must not stick to a reused parameter.
        parameter.DbType = providerValue switch
        {
            long => DbType.Int64,
            double => DbType.Double,
            byte[] => DbType.Binary,
            _ => DbType.String,
        };
        parameter.Value = providerValue;
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

    private static double ReadDouble(DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(string)
            ? double.Parse(reader.GetString(ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)
            : reader.GetDouble(ordinal);
}
