using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Tests.MySql;

public sealed class MySqlValuesTests
{
    private readonly MySqlValues values = new();

    [Fact]
    public void Floats_are_bound_as_the_exactly_equal_double_so_float_MaxValue_is_not_out_of_range()
    {
        var bound = values.ToProviderValue(float.MaxValue, new CanonicalType(CanonicalKind.Float32));

        Assert.Equal((double)float.MaxValue, Assert.IsType<double>(bound));
        Assert.Equal(float.MaxValue, (float)(double)bound!);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NaN_and_infinity_are_refused_because_MariaDB_cannot_store_them(double value)
    {
        var e = Assert.Throws<SchemaException>(() => values.ToProviderValue(value, new CanonicalType(CanonicalKind.Float64)));
        Assert.Contains("MariaDB cannot store the float64 value", e.Message, StringComparison.Ordinal);
        Assert.Throws<SchemaException>(() => values.ToProviderValue((float)value, new CanonicalType(CanonicalKind.Float32)));
    }

    [Fact]
    public void Times_and_timestamps_are_cut_to_microseconds_so_a_time_of_day_never_rounds_to_24_hours()
    {
        var time = values.ToProviderValue(new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_999)), new CanonicalType(CanonicalKind.Time, Precision: 6));
        var stamp = values.ToProviderValue(new DateTime(2024, 2, 29, 1, 2, 3, DateTimeKind.Utc).AddTicks(1_234_567), new CanonicalType(CanonicalKind.TimestampTz, Precision: 6));

        Assert.Equal(new TimeSpan(0, 23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), time);
        var dateTime = Assert.IsType<DateTime>(stamp);
        Assert.Equal(new DateTime(2024, 2, 29, 1, 2, 3).AddTicks(1_234_560), dateTime);
        Assert.Equal(DateTimeKind.Unspecified, dateTime.Kind);
    }

    [Fact]
    public void Uuids_are_bound_as_text_so_any_GuidFormat_setting_writes_the_same_value()
    {
        var id = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", values.ToProviderValue(id, new CanonicalType(CanonicalKind.Uuid)));
    }

    [Fact]
    public void Null_is_bound_as_DBNull()
    {
        Assert.Same(DBNull.Value, values.ToProviderValue(null, new CanonicalType(CanonicalKind.Text)));
    }

    [Fact]
    public void The_read_expression_widens_floats_to_double_and_leaves_other_columns_alone()
    {
        Assert.Equal("CAST(`f` AS DOUBLE)", MySqlValues.ReadExpression("`f`", new CanonicalType(CanonicalKind.Float32)));
        Assert.Equal("`d`", MySqlValues.ReadExpression("`d`", new CanonicalType(CanonicalKind.Float64)));
    }
}
