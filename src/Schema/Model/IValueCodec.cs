using System.Data.Common;

namespace Repl.Schema;

/// <summary>
/// Moves values between one vendor's driver and the canonical CLR representation of each <see cref="CanonicalKind"/>:
/// Boolean→bool, Int16→short, Int32→int, Int64→long, Decimal→decimal, Float32→float, Float64→double,
/// Char/VarChar/Text/Json→string (Char without trailing pad spaces), Binary→byte[], Date→DateOnly, Time→TimeOnly,
/// Timestamp→DateTime (Unspecified), TimestampTz→DateTime (Utc), Uuid→Guid. NULL is null.
/// </summary>
public interface IValueCodec
{
    /// <summary>Reads the value at <paramref name="ordinal"/> as the canonical CLR value of <paramref name="type"/>.</summary>
    object? Read(DbDataReader reader, int ordinal, CanonicalType type);

    /// <summary>Converts a canonical CLR value into what this vendor's driver binds for a column of <paramref name="type"/>.</summary>
    object? ToProviderValue(object? value, CanonicalType type);

    /// <summary>
    /// Sets <paramref name="parameter"/>'s value (via <see cref="ToProviderValue"/>) and whatever type information the
    /// driver needs for a column of <paramref name="type"/> (e.g. Npgsql's <c>json</c> data type name).
    /// </summary>
    void Bind(DbParameter parameter, object? value, CanonicalType type);
}
