using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Repl.Schema;
using Repl.Schema.Oracle;

namespace Repl.Tests.Oracle;

/// <summary>
/// The pure conversions of the Oracle codec, fed with what ODP.NET documents its GetValue returns per Oracle type
/// (no Oracle driver or server exists here).
/// </summary>
public sealed class OracleValuesTests
{
    private readonly OracleValues _values = new();

    private static CanonicalType T(CanonicalKind kind, int? length = null, int? precision = null, int? scale = null) => new(kind, length, precision, scale);

    public static TheoryData<CanonicalKind, object, object> FromOdpNet => new()
    {
        { CanonicalKind.Boolean, 1m, true },
        { CanonicalKind.Boolean, 0m, false },
        { CanonicalKind.Int16, -32768m, (short)-32768 },
        { CanonicalKind.Int32, 2147483647m, int.MaxValue },
        { CanonicalKind.Int64, -9223372036854775808m, long.MinValue },
        { CanonicalKind.Decimal, 79228162514264337593543950335m, 79228162514264337593543950335m },
        { CanonicalKind.Decimal, -0.0000000000000000000000000001m, -0.0000000000000000000000000001m },
        { CanonicalKind.Float32, 0.1f, 0.1f },
        { CanonicalKind.Float32, float.NaN, float.NaN },
        { CanonicalKind.Float64, 0.30000000000000004, 0.30000000000000004 },
        { CanonicalKind.Char, "ab  ", "ab" },
        { CanonicalKind.VarChar, "😀 中文 ", "😀 中文 " },
        { CanonicalKind.Json, "{\"a\":1}", "{\"a\":1}" },
        { CanonicalKind.Date, new DateTime(1899, 12, 31), new DateOnly(1899, 12, 31) },
        { CanonicalKind.Time, new TimeSpan(0, 23, 59, 59, 999, 999), new TimeOnly(23, 59, 59, 999, 999) },
        { CanonicalKind.Timestamp, new DateTime(2150, 1, 2, 3, 4, 5, DateTimeKind.Local).AddTicks(10), new DateTime(2150, 1, 2, 3, 4, 5).AddTicks(10) },
        { CanonicalKind.TimestampTz, new DateTimeOffset(2024, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        { CanonicalKind.TimestampTz, new DateTime(1850, 5, 6, 7, 8, 9), new DateTime(1850, 5, 6, 7, 8, 9, DateTimeKind.Utc) },
    };

    [Theory]
    [MemberData(nameof(FromOdpNet))]
    public void What_odp_net_returns_becomes_the_canonical_clr_value(CanonicalKind kind, object returned, object expected)
    {
        var actual = OracleValues.FromProvider(returned, T(kind));

        Assert.Equal(expected, actual);
        Assert.Equal(expected.GetType(), actual!.GetType());
        if (expected is DateTime time)
            Assert.Equal(time.Kind, ((DateTime)actual).Kind);
    }

    [Fact]
    public void Null_and_db_null_read_as_null_and_bind_as_db_null()
    {
        Assert.Null(OracleValues.FromProvider(DBNull.Value, T(CanonicalKind.Text)));
        Assert.Equal(DBNull.Value, _values.ToProviderValue(null, T(CanonicalKind.Text)));
    }

    [Fact]
    public void Uuids_are_raw_16_in_big_endian_order_so_rawtohex_reads_like_the_uuid()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var raw = (byte[])_values.ToProviderValue(guid, T(CanonicalKind.Uuid))!;

        Assert.Equal("00112233445566778899AABBCCDDEEFF", Convert.ToHexString(raw));
        Assert.Equal(guid, OracleValues.FromProvider(raw, T(CanonicalKind.Uuid)));
    }

    [Fact]
    public void Canonical_values_bind_as_the_clr_types_odp_net_maps_to_the_slave_columns()
    {
        Assert.Equal((short)1, _values.ToProviderValue(true, T(CanonicalKind.Boolean)));
        Assert.Equal(new DateTime(1582, 10, 15), _values.ToProviderValue(new DateOnly(1582, 10, 15), T(CanonicalKind.Date)));
        Assert.Equal(new TimeSpan(0, 1, 2, 3, 4, 5), _values.ToProviderValue(new TimeOnly(1, 2, 3, 4, 5), T(CanonicalKind.Time, precision: 6)));
        var instant = (DateTimeOffset)_values.ToProviderValue(new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), T(CanonicalKind.TimestampTz))!;
        Assert.Equal(TimeSpan.Zero, instant.Offset);
        Assert.Equal(new DateTime(2200, 1, 1).AddTicks(10), instant.DateTime);
        Assert.Equal(1.10m, _values.ToProviderValue(1.10m, T(CanonicalKind.Decimal, precision: 5, scale: 2)));
    }

    [Fact]
    public void Values_survive_binding_and_reading_back_as_odp_net_would_return_them()
    {
        (CanonicalType Type, object Value, Func<object, object> Oracle)[] cases =
        [
            (T(CanonicalKind.Int16), (short)-5, v => Convert.ToDecimal(v, System.Globalization.CultureInfo.InvariantCulture)),
            (T(CanonicalKind.Boolean), true, v => Convert.ToDecimal(v, System.Globalization.CultureInfo.InvariantCulture)),
            (T(CanonicalKind.Binary), new byte[] { 0, 1, 0 }, v => v),
            (T(CanonicalKind.Date), new DateOnly(2100, 3, 1), v => v),
            (T(CanonicalKind.Time, precision: 6), new TimeOnly(0, 0, 0, 0, 1), v => v),
            (T(CanonicalKind.Timestamp, precision: 6), new DateTime(1, 1, 1).AddTicks(10), v => v),
            (T(CanonicalKind.TimestampTz, precision: 6), new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc), v => v),
            (T(CanonicalKind.Uuid), Guid.NewGuid(), v => v),
        ];
        foreach (var (type, value, oracle) in cases)
            Assert.Equal(value, OracleValues.FromProvider(oracle(_values.ToProviderValue(value, type)!), type));
    }

    [Fact]
    public void An_unexpected_provider_type_is_refused_naming_the_column_type()
    {
        var error = Assert.Throws<InvalidCastException>(() => OracleValues.FromProvider("12", T(CanonicalKind.Int32)));
        Assert.Contains("Oracle returned a String (12) for a int32 column", error.Message, StringComparison.Ordinal);
        Assert.Contains("NUMBER(10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamptz_that_is_not_utc_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _values.ToProviderValue(new DateTime(2024, 1, 1), T(CanonicalKind.TimestampTz)));
    }

    [Theory]
    [InlineData(CanonicalKind.Text, 4000, FakeOracleDbType.Varchar2)]
    [InlineData(CanonicalKind.Text, 4001, FakeOracleDbType.Clob)]
    [InlineData(CanonicalKind.Json, 10, FakeOracleDbType.Varchar2)]
    [InlineData(CanonicalKind.Binary, 2000, FakeOracleDbType.Raw)]
    [InlineData(CanonicalKind.Binary, 2001, FakeOracleDbType.Blob)]
    public void Bind_chooses_lob_types_only_for_values_too_long_for_varchar2_or_raw(CanonicalKind kind, int size, FakeOracleDbType expected)
    {
        var parameter = new FakeOracleParameter();
        object value = kind == CanonicalKind.Binary ? new byte[size] : new string('x', size);

        _values.Bind(parameter, value, T(kind));

        Assert.Equal(expected, parameter.OracleDbType);
        Assert.Same(value, parameter.Value);
    }

    [Fact]
    public void Bind_counts_utf8_bytes_when_choosing_clob()
    {
        var parameter = new FakeOracleParameter();

        _values.Bind(parameter, new string('表', 1334), T(CanonicalKind.VarChar, length: 2000));

        Assert.Equal(FakeOracleDbType.Clob, parameter.OracleDbType);
    }

    [Theory]
    [InlineData(CanonicalKind.Boolean, FakeOracleDbType.Int16)]
    [InlineData(CanonicalKind.Float32, FakeOracleDbType.BinaryFloat)]
    [InlineData(CanonicalKind.Uuid, FakeOracleDbType.Raw)]
    [InlineData(CanonicalKind.Time, FakeOracleDbType.IntervalDS)]
    [InlineData(CanonicalKind.Timestamp, FakeOracleDbType.TimeStamp)]
    [InlineData(CanonicalKind.TimestampTz, FakeOracleDbType.TimeStampTZ)]
    public void Bind_sets_the_oracle_db_type_of_each_kind_even_for_null(CanonicalKind kind, FakeOracleDbType expected)
    {
        var parameter = new FakeOracleParameter();

        _values.Bind(parameter, null, T(kind));

        Assert.Equal(expected, parameter.OracleDbType);
        Assert.Equal(DBNull.Value, parameter.Value);
    }

    /// <summary>The members of ODP.NET's OracleDbType that repl binds, by the same names.</summary>
    public enum FakeOracleDbType { None, Int16, Int32, Int64, Decimal, BinaryFloat, BinaryDouble, Varchar2, Clob, Raw, Blob, Date, IntervalDS, TimeStamp, TimeStampTZ }

    /// <summary>A parameter shaped like ODP.NET's OracleParameter where the codec looks: an OracleDbType enum property.</summary>
    [SuppressMessage("Design", "CA1034", Justification = "Test double kept next to the tests that use it.")]
    public sealed class FakeOracleParameter : DbParameter
    {
        public FakeOracleDbType OracleDbType { get; set; }
        public override DbType DbType { get; set; }
        public override ParameterDirection Direction { get; set; }
        public override bool IsNullable { get; set; }
        [AllowNull] public override string ParameterName { get; set; } = "";
        public override int Size { get; set; }
        [AllowNull] public override string SourceColumn { get; set; } = "";
        public override bool SourceColumnNullMapping { get; set; }
        public override object? Value { get; set; }
        public override void ResetDbType() => DbType = DbType.String;
    }
}
