using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Tests.MySql;

public sealed class MySqlTypeMapTests
{
    private static readonly DbObjectName Table = new("news", "SiteUsers");
    private readonly MySqlTypeMap map = new();

    public static TheoryData<NativeColumnType, CanonicalType> NativeTypes => new()
    {
        { new("tinyint", FullType: "tinyint(1)"), new(CanonicalKind.Boolean) },
        { new("tinyint", FullType: "tinyint(4)"), new(CanonicalKind.Int16) },
        { new("tinyint", FullType: "tinyint(1) unsigned"), new(CanonicalKind.Int32) },
        { new("tinyint", FullType: "tinyint(3) unsigned"), new(CanonicalKind.Int32) },
        { new("smallint", FullType: "smallint(6)"), new(CanonicalKind.Int16) },
        { new("smallint", FullType: "smallint(5) unsigned"), new(CanonicalKind.Int32) },
        { new("mediumint", FullType: "mediumint(9)"), new(CanonicalKind.Int32) },
        { new("mediumint", FullType: "mediumint(8) unsigned"), new(CanonicalKind.Int64) },
        { new("int", FullType: "int(11)"), new(CanonicalKind.Int32) },
        { new("int", FullType: "int(10) unsigned zerofill"), new(CanonicalKind.Int64) },
        { new("bigint", FullType: "bigint(20)"), new(CanonicalKind.Int64) },
        { new("bigint", FullType: "bigint(20) unsigned"), new(CanonicalKind.Decimal, Precision: 20, Scale: 0) },
        { new("decimal", Precision: 12, Scale: 2, FullType: "decimal(12,2)"), new(CanonicalKind.Decimal, Precision: 12, Scale: 2) },
        { new("decimal", Precision: 10, Scale: 0, FullType: "decimal(10,0) unsigned"), new(CanonicalKind.Decimal, Precision: 10, Scale: 0) },
        { new("float", Precision: 12, FullType: "float"), new(CanonicalKind.Float32) },
        { new("double", Precision: 22, FullType: "double"), new(CanonicalKind.Float64) },
        { new("char", Length: 3, FullType: "char(3)"), new(CanonicalKind.Char, Length: 3) },
        { new("varchar", Length: 200, FullType: "varchar(200)"), new(CanonicalKind.VarChar, Length: 200) },
        { new("enum", Length: 7, FullType: "enum('draft','published')"), new(CanonicalKind.VarChar, Length: 7) },
        { new("tinytext", Length: 255), new(CanonicalKind.Text) },
        { new("text", Length: 65535), new(CanonicalKind.Text) },
        { new("mediumtext"), new(CanonicalKind.Text) },
        { new("longtext"), new(CanonicalKind.Text) },
        { new("json", FullType: "json"), new(CanonicalKind.Json) },
        { new("binary", Length: 16, FullType: "binary(16)"), new(CanonicalKind.Binary, Length: 16) },
        { new("varbinary", Length: 300, FullType: "varbinary(300)"), new(CanonicalKind.Binary, Length: 300) },
        { new("tinyblob"), new(CanonicalKind.Binary) },
        { new("blob"), new(CanonicalKind.Binary) },
        { new("mediumblob"), new(CanonicalKind.Binary) },
        { new("longblob"), new(CanonicalKind.Binary) },
        { new("date"), new(CanonicalKind.Date) },
        { new("time", Precision: 3, FullType: "time(3)"), new(CanonicalKind.Time, Precision: 3) },
        { new("time", Precision: 0, FullType: "time"), new(CanonicalKind.Time, Precision: 0) },
        { new("datetime", Precision: 6, FullType: "datetime(6)"), new(CanonicalKind.Timestamp, Precision: 6) },
        { new("timestamp", Precision: 0, FullType: "timestamp"), new(CanonicalKind.TimestampTz, Precision: 0) },
        { new("uuid"), new(CanonicalKind.Uuid) },
    };

    [Theory]
    [MemberData(nameof(NativeTypes))]
    public void Native_types_map_to_canonical_types_with_facets(NativeColumnType native, CanonicalType expected)
    {
        Assert.Equal(expected, map.FromNative(Table, "c", native));
    }

    [Theory]
    [InlineData("geometry", "geometry")]
    [InlineData("point", "point")]
    [InlineData("set", "set('a','b')")]
    [InlineData("bit", "bit(1)")]
    [InlineData("year", "year(4)")]
    [InlineData("inet6", "inet6")]
    public void Unsupported_native_types_are_refused_naming_table_column_type_and_the_supported_list(string typeName, string fullType)
    {
        var e = Assert.Throws<SchemaException>(() => map.FromNative(Table, "shape", new NativeColumnType(typeName, FullType: fullType)));
        Assert.StartsWith($"Table news.SiteUsers column shape has type {fullType}, which repl cannot replicate. Supported MariaDB types: tinyint(1), tinyint, ",
            e.Message, StringComparison.Ordinal);
        Assert.Contains("uuid (integer types also unsigned).", e.Message, StringComparison.Ordinal);
    }

    private static readonly (CanonicalType Type, string Ddl)[] DdlRows =
    [
        (new(CanonicalKind.Boolean), "tinyint(1)"),
        (new(CanonicalKind.Int16), "smallint"),
        (new(CanonicalKind.Int32), "int"),
        (new(CanonicalKind.Int64), "bigint"),
        (new(CanonicalKind.Decimal, Precision: 12, Scale: 2), "decimal(12,2)"),
        (new(CanonicalKind.Decimal, Precision: 20, Scale: 0), "decimal(20,0)"),
        (new(CanonicalKind.Decimal), "decimal(65,30)"),
        (new(CanonicalKind.Decimal, Precision: 5, Scale: -2), "decimal(7,0)"),
        (new(CanonicalKind.Decimal, Precision: 3, Scale: 5), "decimal(5,5)"),
        (new(CanonicalKind.Float32), "float"),
        (new(CanonicalKind.Float64), "double"),
        (new(CanonicalKind.Char, Length: 3), "char(3)"),
        (new(CanonicalKind.Char, Length: 1000), "varchar(1000)"),
        (new(CanonicalKind.VarChar, Length: 200), "varchar(200)"),
        (new(CanonicalKind.VarChar, Length: 16383), "varchar(16383)"),
        (new(CanonicalKind.VarChar, Length: 16384), "longtext"),
        (new(CanonicalKind.Text), "longtext"),
        (new(CanonicalKind.Binary, Length: 16), "varbinary(16)"),
        (new(CanonicalKind.Binary, Length: 65533), "longblob"),
        (new(CanonicalKind.Binary), "longblob"),
        (new(CanonicalKind.Date), "date"),
        (new(CanonicalKind.Time, Precision: 3), "time(3)"),
        (new(CanonicalKind.Time), "time(6)"),
        (new(CanonicalKind.Timestamp, Precision: 0), "datetime(0)"),
        (new(CanonicalKind.Timestamp, Precision: 6), "datetime(6)"),
        (new(CanonicalKind.TimestampTz, Precision: 6), "datetime(6)"),
        (new(CanonicalKind.Uuid), "uuid"),
        (new(CanonicalKind.Json), "json"),
    ];

    public static TheoryData<CanonicalType, string> CanonicalTypes()
    {
        var data = new TheoryData<CanonicalType, string>();
        foreach (var (type, ddl) in DdlRows)
            data.Add(type, ddl);
        return data;
    }

    [Theory]
    [MemberData(nameof(CanonicalTypes))]
    public void Canonical_types_map_to_MariaDB_ddl(CanonicalType type, string ddl)
    {
        Assert.Equal(ddl, map.ToDdl(type));
    }

    [Fact]
    public void A_decimal_wider_than_MariaDB_allows_is_refused_with_the_limit()
    {
        var e = Assert.Throws<SchemaException>(() => map.ToDdl(new CanonicalType(CanonicalKind.Decimal, Precision: 100, Scale: 2)));
        Assert.Contains("decimal(100,2) does not fit MariaDB, whose decimal holds at most 65 digits, 38 of them after the point.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ddl_types_read_back_as_the_canonical_type_that_produced_them_where_MariaDB_keeps_it()
    {
        var roundTrips = DdlRows.Select(row => row.Type)
            .Where(t => t is not { Kind: CanonicalKind.TimestampTz } and not { Kind: CanonicalKind.Decimal, Precision: null or 5 or 3 }
                && t is not { Kind: CanonicalKind.Char, Length: 1000 } and not { Kind: CanonicalKind.VarChar, Length: 16384 }
                && t is not { Kind: CanonicalKind.Binary, Length: 65533 } and not { Kind: CanonicalKind.Time, Precision: null });
        foreach (var type in roundTrips)
        {
            var ddl = map.ToDdl(type);
            var name = ddl.Split('(')[0];
            var native = new NativeColumnType(type.Kind == CanonicalKind.Json ? "json" : name,
                Length: type.Length, Precision: type.Precision, Scale: type.Scale, FullType: ddl);
            Assert.Equal(type, map.FromNative(Table, "c", native));
        }
    }
}
