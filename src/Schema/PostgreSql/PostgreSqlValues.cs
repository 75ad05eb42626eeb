using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Numerics;
using Npgsql;
using NpgsqlTypes;

namespace Repl.Schema.PostgreSql;

/// <summary>
/// Moves values between Npgsql and the canonical CLR values (see <see cref="IValueCodec"/>). Char values lose their
/// blank padding; timestamp reads as DateTime Unspecified and timestamptz as DateTime Utc; json and jsonb read as text.
/// Every bound parameter carries its PostgreSQL type, so NULLs are typed and strings bind to json columns.
/// </summary>
/// <remarks>
/// Npgsql maps DateOnly/DateTime MinValue and MaxValue to -infinity and infinity, and back, unless the application
/// sets the <c>Npgsql.DisableDateTimeInfinityConversions</c> switch. numeric values beyond System.Decimal
/// (about 28 significant digits) cannot be read and are refused with a message naming the column.
/// </remarks>
public sealed class PostgreSqlValues : IValueCodec
{
    private const int MaxDecimalDigits = 28;
    private const int MaxDecimalScale = 28;
    private const ushort NumericPositive = 0x0000;
    private const ushort NumericNegative = 0x4000;
    private static readonly BigInteger MaxDecimalMantissa = new(decimal.MaxValue);

    private static readonly Dictionary<CanonicalKind, NpgsqlDbType> DbTypes = new()
    {
        [CanonicalKind.Boolean] = NpgsqlDbType.Boolean,
        [CanonicalKind.Int16] = NpgsqlDbType.Smallint,
        [CanonicalKind.Int32] = NpgsqlDbType.Integer,
        [CanonicalKind.Int64] = NpgsqlDbType.Bigint,
        [CanonicalKind.Decimal] = NpgsqlDbType.Numeric,
        [CanonicalKind.Float32] = NpgsqlDbType.Real,
        [CanonicalKind.Float64] = NpgsqlDbType.Double,
        [CanonicalKind.Char] = NpgsqlDbType.Char,
        [CanonicalKind.VarChar] = NpgsqlDbType.Varchar,
        [CanonicalKind.Text] = NpgsqlDbType.Text,
        [CanonicalKind.Binary] = NpgsqlDbType.Bytea,
        [CanonicalKind.Date] = NpgsqlDbType.Date,
        [CanonicalKind.Time] = NpgsqlDbType.Time,
        [CanonicalKind.Timestamp] = NpgsqlDbType.Timestamp,
        [CanonicalKind.TimestampTz] = NpgsqlDbType.TimestampTz,
        [CanonicalKind.Uuid] = NpgsqlDbType.Uuid,
        [CanonicalKind.Json] = NpgsqlDbType.Json,
    };

    /// <summary>The Npgsql type a canonical type binds as (also what a binary COPY writes).</summary>
    public static NpgsqlDbType DbTypeOf(CanonicalType type) => DbTypes[type.Kind];

    /// <inheritdoc />
    public object? Read(DbDataReader reader, int ordinal, CanonicalType type)
    {
        if (reader.IsDBNull(ordinal))
            return null;
        return type.Kind switch
        {
            CanonicalKind.Boolean => reader.GetBoolean(ordinal),
            CanonicalKind.Int16 => reader.GetInt16(ordinal),
            CanonicalKind.Int32 => reader.GetInt32(ordinal),
            CanonicalKind.Int64 => reader.GetInt64(ordinal),
            CanonicalKind.Decimal => ReadDecimal(reader, ordinal, type),
            CanonicalKind.Float32 => reader.GetFloat(ordinal),
            CanonicalKind.Float64 => reader.GetDouble(ordinal),
            CanonicalKind.Char => reader.GetString(ordinal).TrimEnd(' '),
            CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json => reader.GetString(ordinal),
            CanonicalKind.Binary => reader.GetFieldValue<byte[]>(ordinal),
            CanonicalKind.Date => reader.GetFieldValue<DateOnly>(ordinal),
            CanonicalKind.Time => reader.GetFieldValue<TimeOnly>(ordinal),
            CanonicalKind.Timestamp => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Unspecified),
            CanonicalKind.TimestampTz => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            CanonicalKind.Uuid => reader.GetGuid(ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown canonical type."),
        };
    }

    /// <summary>Converts a canonical CLR value into what Npgsql binds; null becomes <see cref="DBNull.Value"/>.</summary>
    public object? ToProviderValue(object? value, CanonicalType type)
    {
        if (value is null or DBNull)
            return DBNull.Value;
        var invariant = CultureInfo.InvariantCulture;
        return type.Kind switch
        {
            CanonicalKind.Boolean => Convert.ToBoolean(value, invariant),
            CanonicalKind.Int16 => Convert.ToInt16(value, invariant),
            CanonicalKind.Int32 => Convert.ToInt32(value, invariant),
            CanonicalKind.Int64 => Convert.ToInt64(value, invariant),
            CanonicalKind.Decimal => Convert.ToDecimal(value, invariant),
            CanonicalKind.Float32 => Convert.ToSingle(value, invariant),
            CanonicalKind.Float64 => Convert.ToDouble(value, invariant),
            CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Text or CanonicalKind.Json => Expect<string>(value, type),
            CanonicalKind.Binary => Expect<byte[]>(value, type),
            CanonicalKind.Date => value is DateTime date ? DateOnly.FromDateTime(date) : Expect<DateOnly>(value, type),
            CanonicalKind.Time => value is TimeSpan time ? TimeOnly.FromTimeSpan(time) : Expect<TimeOnly>(value, type),
            // timestamp takes the wall-clock reading as it is; Npgsql refuses a Utc-kind DateTime for it.
            CanonicalKind.Timestamp => value is DateTimeOffset withOffset
                ? withOffset.DateTime
                : DateTime.SpecifyKind(Expect<DateTime>(value, type), DateTimeKind.Unspecified),
            // timestamptz needs a Utc-kind DateTime; an Unspecified one is canonical UTC that lost its Kind on the way.
            CanonicalKind.TimestampTz => value switch
            {
                DateTimeOffset instant => instant.UtcDateTime,
                DateTime { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
                _ => DateTime.SpecifyKind(Expect<DateTime>(value, type), DateTimeKind.Utc),
            },
            CanonicalKind.Uuid => value is string text ? Guid.Parse(text, invariant) : Expect<Guid>(value, type),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown canonical type."),
        };
    }

    /// <inheritdoc />
    public void Bind(DbParameter parameter, object? value, CanonicalType type)
    {
        parameter.Value = ToProviderValue(value, type);
        if (parameter is NpgsqlParameter npgsql)
            npgsql.NpgsqlDbType = DbTypeOf(type);
    }

    // Npgsql builds a decimal from every digit up to the column's display scale, trailing zeros included, so a value
    // that fits System.Decimal still fails to read from a wide column (99999999999999999999999999.99 in numeric(38,10):
    // IndexOutOfRangeException, npgsql/npgsql#6509; by design it never drops the zeros, #2254). Up to 28 digits of
    // declared precision that cannot happen; otherwise the value is decoded from PostgreSQL's binary numeric here.
    private static decimal ReadDecimal(DbDataReader reader, int ordinal, CanonicalType type)
    {
        if (type.Precision is <= MaxDecimalDigits)
            return reader.GetDecimal(ordinal);
        using var stream = reader.GetStream(ordinal);
        var raw = new byte[stream.Length];
        stream.ReadExactly(raw);
        return DecodeNumeric(raw) ?? throw new SchemaException(
            $"Column {reader.GetName(ordinal)} holds a numeric value beyond System.Decimal (28 significant digits, or NaN or " +
            "Infinity), which repl cannot replicate. Round the value, or declare the column with a precision of at most 28.");
    }

    // PostgreSQL's binary numeric: int16 digit count, int16 weight (base-10000 exponent of the first digit), uint16 sign,
    // uint16 display scale, then the base-10000 digits. Null when the value does not fit System.Decimal.
    private static decimal? DecodeNumeric(ReadOnlySpan<byte> raw)
    {
        var digitCount = BinaryPrimitives.ReadInt16BigEndian(raw);
        var weight = BinaryPrimitives.ReadInt16BigEndian(raw[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(raw[4..]);
        var displayScale = BinaryPrimitives.ReadUInt16BigEndian(raw[6..]);
        if (sign is not (NumericPositive or NumericNegative))
            return null;

        var mantissa = BigInteger.Zero;
        for (var i = 0; i < digitCount; i++)
            mantissa = (mantissa * 10_000) + BinaryPrimitives.ReadInt16BigEndian(raw[(8 + (2 * i))..]);
        var exponent = 4 * (weight - digitCount + 1);
        if (exponent > 0)
            mantissa *= BigInteger.Pow(10, exponent);
        var scale = Math.Max(0, -exponent);

        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        // Give back the zeros PostgreSQL displays (1.10 in numeric(12,2)) as far as System.Decimal holds them.
        while (scale < Math.Min((int)displayScale, MaxDecimalScale) && mantissa * 10 <= MaxDecimalMantissa)
        {
            mantissa *= 10;
            scale++;
        }
        if (scale > MaxDecimalScale || mantissa > MaxDecimalMantissa)
            return null;
        var bits = decimal.GetBits((decimal)mantissa);
        return new decimal(bits[0], bits[1], bits[2], sign == NumericNegative && !mantissa.IsZero, (byte)scale);
    }

    private static T Expect<T>(object value, CanonicalType type) => value is T typed
        ? typed
        : throw new ArgumentException(
            $"A {value.GetType().Name} value cannot be bound to a {type} column; the canonical CLR type is {typeof(T).Name}.",
            nameof(value));
}
