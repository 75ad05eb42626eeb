using System.Data.Common;
using System.Globalization;
using MySqlConnector;

namespace Repl.Schema.MySql;

/// <summary>
/// Moves values between MySqlConnector and the canonical CLR values, whatever the connection's TreatTinyAsBoolean,
/// AllowZeroDateTime or DateTimeKind settings. Connections need two settings, both provided by <see cref="MySqlSchema"/>:
/// GuidFormat=None in the connection string, because by default every CHAR(36) column is parsed as a Guid and one that
/// holds other text fails to read at all; and the session time zone UTC (no connection-string option sets it), because
/// MariaDB converts TIMESTAMP (TimestampTz) columns to the session's zone.
/// <para>
/// MariaDB specifics: CHAR values lose trailing spaces (MariaDB strips them, and canonical Char has none); a zero or
/// partial date ('0000-00-00', '2024-00-10') has no value in any other database and is refused naming the column, as is
/// a TIME outside one day, a decimal beyond System.Decimal, and a float NaN or infinity on write (MariaDB has none).
/// The text protocol sends FLOAT with 6 significant digits: read Float32 columns through <see cref="ReadExpression"/>
/// or a prepared command, or 16777216 comes back as 16777200. Float32 is bound as a double, because the shortest text of
/// float.MaxValue (3.4028235E+38) lies above it and MariaDB refuses it as out of range.
/// </para>
/// </summary>
public sealed class MySqlValues : IValueCodec
{
    /// <summary>
    /// The select-list expression that reads a column of <paramref name="type"/> without loss: <c>CAST(c AS DOUBLE)</c>
    /// for Float32 (exact, as a float widens to a double exactly), the quoted column itself otherwise.
    /// </summary>
    public static string ReadExpression(string quotedColumn, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind == CanonicalKind.Float32 ? $"CAST({quotedColumn} AS DOUBLE)" : quotedColumn;
    }

    /// <inheritdoc/>
    public object? Read(DbDataReader reader, int ordinal, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(type);
        if (reader.IsDBNull(ordinal))
            return null;
        var value = GetValue(reader, ordinal, type);
        return type.Kind switch
        {
            CanonicalKind.Boolean => value is bool b ? b : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
            CanonicalKind.Int16 => Convert.ToInt16(value, CultureInfo.InvariantCulture),
            CanonicalKind.Int32 => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            CanonicalKind.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            CanonicalKind.Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            CanonicalKind.Float32 => Convert.ToSingle(value, CultureInfo.InvariantCulture),
            CanonicalKind.Float64 => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            CanonicalKind.Char => Text(reader, ordinal, value).TrimEnd(' '),
            CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json => Text(reader, ordinal, value),
            CanonicalKind.Binary => value as byte[] ?? throw GuidFormatMisconfigured(reader, ordinal),
            CanonicalKind.Date => DateOnly.FromDateTime(DateTimeValue(reader, ordinal, value)),
            CanonicalKind.Time => TimeOfDay(reader, ordinal, (TimeSpan)value),
            CanonicalKind.Timestamp => DateTime.SpecifyKind(DateTimeValue(reader, ordinal, value), DateTimeKind.Unspecified),
            CanonicalKind.TimestampTz => DateTime.SpecifyKind(DateTimeValue(reader, ordinal, value), DateTimeKind.Utc),
            CanonicalKind.Uuid => value is Guid g ? g : Guid.Parse(Text(reader, ordinal, value), CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown canonical kind."),
        };
    }

    /// <inheritdoc/>
    public object? ToProviderValue(object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return value switch
        {
            null => DBNull.Value,
            float f when float.IsFinite(f) => (double)f,
            float or double when !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)) => throw new SchemaException(
                $"MariaDB cannot store the {type} value {Convert.ToString(value, CultureInfo.InvariantCulture)}: it has no NaN or infinity. " +
                "Change that value on the master, or choose another slave vendor for this table."),
            TimeOnly t => new TimeSpan(t.Ticks - (t.Ticks % TimeSpan.TicksPerMicrosecond)),
            DateTime d => Microseconds(type.Kind == CanonicalKind.TimestampTz && d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d),
            Guid g => g.ToString("D"),
            _ => value,
        };
    }

    /// <inheritdoc/>
    public void Bind(DbParameter parameter, object? value, CanonicalType type)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.Value = ToProviderValue(value, type);
    }

    // MariaDB keeps microseconds and the driver would round the 7th digit; truncating keeps 23:59:59.9999999 a time of day.
    private static DateTime Microseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Unspecified);

    private static object GetValue(DbDataReader reader, int ordinal, CanonicalType type)
    {
        try
        {
            return reader.GetValue(ordinal);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException
            && type.Kind is CanonicalKind.Date or CanonicalKind.Timestamp or CanonicalKind.TimestampTz)
        {
            throw ZeroDate(reader, ordinal, e);
        }
        catch (FormatException e) when (type.Kind == CanonicalKind.Decimal && reader is MySqlDataReader mysql)
        {
            throw new SchemaException(
                $"Column {reader.GetName(ordinal)} holds {mysql.GetMySqlDecimal(ordinal)}, which is beyond System.Decimal " +
                "(28-29 significant digits), the largest decimal repl carries. Round that value on the master.", e);
        }
        catch (FormatException e) when (type.Kind is CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text
            or CanonicalKind.Json or CanonicalKind.Binary or CanonicalKind.Uuid)
        {
            throw GuidFormatMisconfigured(reader, ordinal, e);
        }
    }

    private static string Text(DbDataReader reader, int ordinal, object value) =>
        value as string ?? throw GuidFormatMisconfigured(reader, ordinal);

    private static DateTime DateTimeValue(DbDataReader reader, int ordinal, object value) => value switch
    {
        DateTime d => d,
        MySqlDateTime { IsValidDateTime: true } m => m.GetDateTime(),
        _ => throw ZeroDate(reader, ordinal, null),
    };

    private static TimeOnly TimeOfDay(DbDataReader reader, int ordinal, TimeSpan value) =>
        value >= TimeSpan.Zero && value < TimeSpan.FromDays(1)
            ? TimeOnly.FromTimeSpan(value)
            : throw new SchemaException(
                $"Column {reader.GetName(ordinal)} holds the MariaDB TIME {value}, which is not a time of day (00:00:00 to 23:59:59.999999), " +
                "and repl replicates TIME as a time of day. Store durations in a numeric column on the master.");

    private static SchemaException ZeroDate(DbDataReader reader, int ordinal, Exception? inner)
    {
        var message = $"Column {reader.GetName(ordinal)} holds a MariaDB zero or partial date (such as '0000-00-00' or '2024-00-10'), " +
            "which no other database can store. Replace such values on the master, e.g. " +
            $"UPDATE ... SET {reader.GetName(ordinal)} = NULL WHERE {reader.GetName(ordinal)} = '0000-00-00'.";
        return inner is null ? new SchemaException(message) : new SchemaException(message, inner);
    }

    private static InvalidOperationException GuidFormatMisconfigured(DbDataReader reader, int ordinal, Exception? inner = null) => new(
        $"Column {reader.GetName(ordinal)} was read as {reader.GetFieldType(ordinal).Name} instead of its raw value: the MariaDB " +
        "connection string must contain GuidFormat=None (MySqlSchema.ConnectionString adds it).", inner);
}
