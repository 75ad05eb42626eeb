using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.Tests.Sqlite;

public sealed class SqliteValuesTests
{
    private readonly SqliteValues _values = new();

    public static TheoryData<string, object, object> ProviderValues => new()
    {
        { "boolean", true, 1L },
        { "int16", (short)-7, -7L },
        { "decimal(5,2)", 1.10m, "1.10" },
        { "decimal", -0.0000000000000000000000000001m, "-0.0000000000000000000000000001" },
        { "decimal", 79228162514264337593543950335m, "79228162514264337593543950335" },
        { "float32", 0.1f, (double)0.1f },
        { "float64", double.NaN, "NaN" },
        { "date", new DateOnly(1899, 12, 31), "1899-12-31" },
        { "time(3)", new TimeOnly(7, 5, 9, 120), "07:05:09.120000" },
        { "timestamp(6)", new DateTime(2150, 1, 2, 3, 4, 5).AddTicks(1234560), "2150-01-02 03:04:05.123456" },
        { "timestamptz(6)", new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc), "2024-02-29 23:59:59.000000+00:00" },
        { "uuid", Guid.Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF"), "6f9619ff-8b86-d011-b42d-00c04fc964ff" },
    };

    [Theory]
    [MemberData(nameof(ProviderValues))]
    public void Values_become_the_documented_sqlite_storage(string type, object value, object expected)
    {
        Assert.Equal(expected, _values.ToProviderValue(value, SqliteTestTypes.Parse(type)));
    }

    [Fact]
    public void Timestamp_text_has_six_fraction_digits_so_text_order_is_time_order()
    {
        var type = new CanonicalType(CanonicalKind.Timestamp, Precision: 6);
        var times = new[] { new DateTime(2024, 1, 1, 0, 0, 0), new DateTime(2024, 1, 1, 0, 0, 0).AddTicks(10), new DateTime(2024, 1, 1, 0, 0, 1), new DateTime(987, 5, 6) };

        var texts = times.Select(t => (string)_values.ToProviderValue(t, type)!).ToList();

        Assert.Equal(times.Order().Select(t => (string)_values.ToProviderValue(t, type)!), texts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Null_becomes_db_null()
    {
        Assert.Equal(DBNull.Value, _values.ToProviderValue(null, new CanonicalType(CanonicalKind.Text)));
    }

    [Fact]
    public void A_timestamptz_that_is_not_utc_is_refused_instead_of_being_shifted_silently()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _values.ToProviderValue(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local), new CanonicalType(CanonicalKind.TimestampTz, Precision: 6)));
        Assert.Contains("Kind Utc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_clr_type_is_refused_naming_the_expected_type()
    {
        var error = Assert.Throws<ArgumentException>(() => _values.ToProviderValue(42L, new CanonicalType(CanonicalKind.Int32)));
        Assert.Contains("must be an int", error.Message, StringComparison.Ordinal);
    }
}
