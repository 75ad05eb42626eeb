using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.Tests.PostgreSql;

public sealed class PostgreSqlTypeMapTests
{
    private static readonly DbObjectName Table = new("public", "Things");
    private readonly PostgreSqlTypeMap _map = new();

    public static TheoryData<string, int?, int?, int?, CanonicalType> NativeToCanonical => new()
    {
        { "boolean", null, null, null, new(CanonicalKind.Boolean) },
        { "smallint", null, null, null, new(CanonicalKind.Int16) },
        { "integer", null, null, null, new(CanonicalKind.Int32) },
        { "bigint", null, null, null, new(CanonicalKind.Int64) },
        { "numeric", null, 12, 3, new(CanonicalKind.Decimal, Precision: 12, Scale: 3) },
        { "numeric", null, null, null, new(CanonicalKind.Decimal) },
        { "numeric", null, 5, -2, new(CanonicalKind.Decimal, Precision: 7, Scale: 0) },
        { "numeric", null, 2, 5, new(CanonicalKind.Decimal, Precision: 5, Scale: 5) },
        { "real", null, null, null, new(CanonicalKind.Float32) },
        { "double precision", null, null, null, new(CanonicalKind.Float64) },
        { "character", 5, null, null, new(CanonicalKind.Char, Length: 5) },
        { "character", null, null, null, new(CanonicalKind.Char) },
        { "character varying", 200, null, null, new(CanonicalKind.VarChar, Length: 200) },
        { "character varying", null, null, null, new(CanonicalKind.Text) },
        { "text", null, null, null, new(CanonicalKind.Text) },
        { "bytea", null, null, null, new(CanonicalKind.Binary) },
        { "date", null, null, null, new(CanonicalKind.Date) },
        { "time without time zone", null, 3, null, new(CanonicalKind.Time, Precision: 3) },
        { "time without time zone", null, null, null, new(CanonicalKind.Time, Precision: 6) },
        { "timestamp without time zone", null, 0, null, new(CanonicalKind.Timestamp, Precision: 0) },
        { "timestamp without time zone", null, null, null, new(CanonicalKind.Timestamp, Precision: 6) },
        { "timestamp with time zone", null, 2, null, new(CanonicalKind.TimestampTz, Precision: 2) },
        { "uuid", null, null, null, new(CanonicalKind.Uuid) },
        { "json", null, null, null, new(CanonicalKind.Json) },
        { "jsonb", null, null, null, new(CanonicalKind.Json) },
        { "int4", null, null, null, new(CanonicalKind.Int32) },
        { "int8", null, null, null, new(CanonicalKind.Int64) },
        { "float8", null, null, null, new(CanonicalKind.Float64) },
        { "bpchar", 3, null, null, new(CanonicalKind.Char, Length: 3) },
        { "varchar", 10, null, null, new(CanonicalKind.VarChar, Length: 10) },
        { "timestamptz", null, null, null, new(CanonicalKind.TimestampTz, Precision: 6) },
        { "BOOL", null, null, null, new(CanonicalKind.Boolean) },
    };

    [Theory]
    [MemberData(nameof(NativeToCanonical))]
    public void Native_types_map_to_canonical_types_with_their_facets(string typeName, int? length, int? precision, int? scale, CanonicalType expected)
    {
        Assert.Equal(expected, _map.FromNative(Table, "c", new NativeColumnType(typeName, length, precision, scale)));
    }

    public static TheoryData<CanonicalType, string> CanonicalToDdl => new()
    {
        { new(CanonicalKind.Boolean), "boolean" },
        { new(CanonicalKind.Int16), "smallint" },
        { new(CanonicalKind.Int32), "integer" },
        { new(CanonicalKind.Int64), "bigint" },
        { new(CanonicalKind.Decimal, Precision: 12, Scale: 2), "numeric(12,2)" },
        { new(CanonicalKind.Decimal, Precision: 20), "numeric(20,0)" },
        { new(CanonicalKind.Decimal), "numeric" },
        { new(CanonicalKind.Float32), "real" },
        { new(CanonicalKind.Float64), "double precision" },
        { new(CanonicalKind.Char, Length: 4), "char(4)" },
        { new(CanonicalKind.Char), "bpchar" },
        { new(CanonicalKind.VarChar, Length: 200), "varchar(200)" },
        { new(CanonicalKind.VarChar), "text" },
        { new(CanonicalKind.Text), "text" },
        { new(CanonicalKind.Binary, Length: 16), "bytea" },
        { new(CanonicalKind.Binary), "bytea" },
        { new(CanonicalKind.Date), "date" },
        { new(CanonicalKind.Time, Precision: 3), "time(3)" },
        { new(CanonicalKind.Time), "time(6)" },
        { new(CanonicalKind.Timestamp, Precision: 0), "timestamp(0)" },
        { new(CanonicalKind.Timestamp, Precision: 9), "timestamp(6)" },
        { new(CanonicalKind.TimestampTz, Precision: 6), "timestamptz(6)" },
        { new(CanonicalKind.Uuid), "uuid" },
        { new(CanonicalKind.Json), "json" },
    };

    [Theory]
    [MemberData(nameof(CanonicalToDdl))]
    public void Canonical_types_are_written_as_postgresql_ddl(CanonicalType type, string expected)
    {
        Assert.Equal(expected, _map.ToDdl(type));
    }

    [Fact]
    public void Every_canonical_kind_has_a_ddl_spelling()
    {
        foreach (var kind in Enum.GetValues<CanonicalKind>())
            Assert.False(string.IsNullOrWhiteSpace(_map.ToDdl(new CanonicalType(kind))), kind.ToString());
    }

    [Theory]
    [InlineData("point", "point")]
    [InlineData("integer[]", "integer[]")]
    [InlineData("time with time zone", "time(3) with time zone")]
    [InlineData("interval", "interval")]
    [InlineData("money", "money")]
    [InlineData("inet", "inet")]
    [InlineData("\"char\"", "\"char\"")]
    public void Unsupported_types_are_refused_naming_table_column_type_and_the_supported_list(string typeName, string fullType)
    {
        var error = Assert.Throws<SchemaException>(() => _map.FromNative(Table, "where", new NativeColumnType(typeName, FullType: fullType)));

        Assert.Equal(
            $"Table public.Things column where has type {fullType}, which repl cannot replicate. Supported PostgreSQL types: " +
            "boolean, smallint, integer, bigint, numeric, real, double precision, character, character varying, text, bytea, date, " +
            "time without time zone, timestamp without time zone, timestamp with time zone, uuid, json, jsonb.",
            error.Message);
    }
}
