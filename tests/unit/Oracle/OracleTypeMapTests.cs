using Repl.Schema;
using Repl.Schema.Oracle;

namespace Repl.Tests.Oracle;

public sealed class OracleTypeMapTests
{
    private static readonly DbObjectName Table = new("NEWS", "ORDERS");
    private readonly OracleTypeMap _types = new();

    public static TheoryData<CanonicalKind, int?, int?, int?, string> Spellings => new()
    {
        { CanonicalKind.Boolean, null, null, null, "NUMBER(1)" },
        { CanonicalKind.Int16, null, null, null, "NUMBER(5)" },
        { CanonicalKind.Int32, null, null, null, "NUMBER(10)" },
        { CanonicalKind.Int64, null, null, null, "NUMBER(19)" },
        { CanonicalKind.Decimal, null, 12, 2, "NUMBER(12,2)" },
        { CanonicalKind.Decimal, null, 10, null, "NUMBER(10)" },
        { CanonicalKind.Decimal, null, null, null, "NUMBER" },
        { CanonicalKind.Decimal, null, 65, 30, "NUMBER" },
        { CanonicalKind.Float32, null, null, null, "BINARY_FLOAT" },
        { CanonicalKind.Float64, null, null, null, "BINARY_DOUBLE" },
        { CanonicalKind.Char, 3, null, null, "CHAR(3 CHAR)" },
        { CanonicalKind.Char, 3000, null, null, "VARCHAR2(3000 CHAR)" },
        { CanonicalKind.VarChar, 4000, null, null, "VARCHAR2(4000 CHAR)" },
        { CanonicalKind.VarChar, 4001, null, null, "CLOB" },
        { CanonicalKind.Text, null, null, null, "CLOB" },
        { CanonicalKind.Binary, 2000, null, null, "RAW(2000)" },
        { CanonicalKind.Binary, 2001, null, null, "BLOB" },
        { CanonicalKind.Binary, null, null, null, "BLOB" },
        { CanonicalKind.Date, null, null, null, "DATE" },
        { CanonicalKind.Time, null, 3, null, "INTERVAL DAY(0) TO SECOND(3)" },
        { CanonicalKind.Time, null, null, null, "INTERVAL DAY(0) TO SECOND(6)" },
        { CanonicalKind.Timestamp, null, 0, null, "TIMESTAMP(0)" },
        { CanonicalKind.TimestampTz, null, null, null, "TIMESTAMP(6) WITH TIME ZONE" },
        { CanonicalKind.Uuid, null, null, null, "RAW(16)" },
        { CanonicalKind.Json, null, null, null, "CLOB" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Canonical_types_are_written_as_the_documented_oracle_spelling(CanonicalKind kind, int? length, int? precision, int? scale, string ddl)
    {
        Assert.Equal(ddl, _types.ToDdl(new CanonicalType(kind, length, precision, scale)));
    }

    public static TheoryData<string, int?, int?, int?, CanonicalKind, int?, int?, int?> Natives => new()
    {
        { "number", null, 4, 0, CanonicalKind.Int16, null, null, null },
        { "number", null, 1, 0, CanonicalKind.Int16, null, null, null },
        { "number", null, 5, 0, CanonicalKind.Int32, null, null, null },
        { "number", null, 9, 0, CanonicalKind.Int32, null, null, null },
        { "number", null, 10, 0, CanonicalKind.Int64, null, null, null },
        { "number", null, 18, 0, CanonicalKind.Int64, null, null, null },
        { "number", null, 19, 0, CanonicalKind.Decimal, null, 19, 0 },
        { "number", null, 12, 2, CanonicalKind.Decimal, null, 12, 2 },
        { "number", null, null, null, CanonicalKind.Decimal, null, null, null },
        { "number", null, null, 0, CanonicalKind.Decimal, null, 38, 0 },
        { "number", null, 3, 5, CanonicalKind.Decimal, null, 5, 5 },
        { "number", null, 5, -2, CanonicalKind.Decimal, null, 7, 0 },
        { "float", null, 126, null, CanonicalKind.Float64, null, null, null },
        { "binary_float", null, null, null, CanonicalKind.Float32, null, null, null },
        { "binary_double", null, null, null, CanonicalKind.Float64, null, null, null },
        { "char", 3, null, null, CanonicalKind.Char, 3, null, null },
        { "nchar", 2, null, null, CanonicalKind.Char, 2, null, null },
        { "varchar2", 200, null, null, CanonicalKind.VarChar, 200, null, null },
        { "nvarchar2", 50, null, null, CanonicalKind.VarChar, 50, null, null },
        { "clob", null, null, null, CanonicalKind.Text, null, null, null },
        { "nclob", null, null, null, CanonicalKind.Text, null, null, null },
        { "raw", 16, null, null, CanonicalKind.Binary, 16, null, null },
        { "blob", null, null, null, CanonicalKind.Binary, null, null, null },
        { "date", null, null, null, CanonicalKind.Timestamp, null, 0, null },
        { "timestamp", null, 6, null, CanonicalKind.Timestamp, null, 6, null },
        { "timestamp with time zone", null, 3, null, CanonicalKind.TimestampTz, null, 3, null },
        { "timestamp with local time zone", null, 9, null, CanonicalKind.TimestampTz, null, 9, null },
        { "interval day to second", null, 0, 6, CanonicalKind.Time, null, 6, null },
    };

    [Theory]
    [MemberData(nameof(Natives))]
    public void Native_oracle_types_map_to_the_documented_canonical_type(string typeName, int? length, int? precision, int? scale,
        CanonicalKind kind, int? canonicalLength, int? canonicalPrecision, int? canonicalScale)
    {
        var native = new NativeColumnType(typeName, length, precision, scale);

        Assert.Equal(new CanonicalType(kind, canonicalLength, canonicalPrecision, canonicalScale), _types.FromNative(Table, "c", native));
    }

    [Fact]
    public void Oracle_date_reads_as_timestamp_0_because_it_has_a_time_of_day()
    {
        Assert.Equal(new CanonicalType(CanonicalKind.Timestamp, Precision: 0), _types.FromNative(Table, "c", new NativeColumnType("date")));
    }

    [Theory]
    [InlineData("long", "LONG")]
    [InlineData("long raw", "LONG RAW")]
    [InlineData("xmltype", "XMLTYPE")]
    [InlineData("interval year to month", "INTERVAL YEAR(2) TO MONTH")]
    [InlineData("sdo_geometry", "SDO_GEOMETRY")]
    [InlineData("rowid", "ROWID")]
    public void Unsupported_native_type_is_refused_naming_table_column_type_and_supported_types(string typeName, string fullType)
    {
        var error = Assert.Throws<SchemaException>(() => _types.FromNative(Table, "SHAPE", new NativeColumnType(typeName, FullType: fullType)));

        Assert.StartsWith($"Table NEWS.ORDERS column SHAPE has type {fullType}, which repl cannot replicate. Supported Oracle types: NUMBER(p,s),", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("INTERVAL DAY(0) TO SECOND(p).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interval_with_days_is_refused_because_it_is_not_a_time_of_day()
    {
        Assert.Throws<SchemaException>(() => _types.FromNative(Table, "c", new NativeColumnType("interval day to second", Precision: 2, Scale: 6)));
    }

    [Fact]
    public void Key_columns_never_get_a_type_oracle_cannot_put_in_a_key()
    {
        Assert.Equal("VARCHAR2(4000 CHAR)", _types.ToKeyDdl(new CanonicalType(CanonicalKind.Text)));
        Assert.Equal("RAW(2000)", _types.ToKeyDdl(new CanonicalType(CanonicalKind.Binary)));
        Assert.Equal("TIMESTAMP(3)", _types.ToKeyDdl(new CanonicalType(CanonicalKind.TimestampTz, Precision: 3)));
        Assert.Equal("NUMBER(10)", _types.ToKeyDdl(new CanonicalType(CanonicalKind.Int32)));
    }
}
