using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.Tests.Sqlite;

public sealed class SqliteTypeMapTests
{
    private static readonly DbObjectName Table = new(null, "Orders");
    private readonly SqliteTypeMap _types = new();

    public static TheoryData<string, string> DeclaredTypes => new()
    {
        { "Boolean", "BOOLEAN" },
        { "Int16", "SMALLINT" },
        { "Int32", "INTEGER" },
        { "Int64", "BIGINT" },
        { "decimal(12,2)", "DECIMAL TEXT(12,2)" },
        { "decimal(10,)", "DECIMAL TEXT(10)" },
        { "decimal", "DECIMAL TEXT" },
        { "Float32", "FLOAT" },
        { "Float64", "DOUBLE" },
        { "char(3)", "CHAR(3)" },
        { "varchar(200)", "VARCHAR(200)" },
        { "Text", "TEXT" },
        { "binary(16)", "BLOB(16)" },
        { "binary", "BLOB" },
        { "Date", "DATE" },
        { "time(6)", "TIME(6)" },
        { "time", "TIME" },
        { "timestamp(0)", "TIMESTAMP(0)" },
        { "timestamptz(3)", "TIMESTAMPTZ(3)" },
        { "Uuid", "UUID" },
        { "Json", "JSON TEXT" },
    };

    [Theory]
    [MemberData(nameof(DeclaredTypes))]
    public void Canonical_type_is_declared_as_the_documented_spelling_and_read_back_exactly(string canonical, string declared)
    {
        var type = SqliteTestTypes.Parse(canonical);

        Assert.Equal(declared, _types.ToDdl(type));
        Assert.Equal(type, _types.FromNative(Table, "c", SqliteTypeMap.ParseDeclared(declared)));
    }

    [Fact]
    public void Every_canonical_kind_has_a_declared_type_whose_affinity_keeps_its_stored_value()
    {
        foreach (var type in SqliteTestTypes.All)
        {
            var affinity = SqliteTestTypes.Affinity(_types.ToDdl(type));
            var expected = type.Kind switch
            {
                CanonicalKind.Int16 or CanonicalKind.Int32 or CanonicalKind.Int64 => "INTEGER",
                CanonicalKind.Float32 or CanonicalKind.Float64 => "REAL",
                CanonicalKind.Binary => "BLOB",
                // Numeric affinity only converts text that is a well-formed number, which 0/1, dates, times and UUIDs never are as text.
                CanonicalKind.Boolean or CanonicalKind.Date or CanonicalKind.Time or CanonicalKind.Timestamp
                    or CanonicalKind.TimestampTz or CanonicalKind.Uuid => "NUMERIC",
                _ => "TEXT",
            };
            Assert.True(expected == affinity, $"{type} is declared {_types.ToDdl(type)} with affinity {affinity}, expected {expected}.");
        }
    }

    [Theory]
    [InlineData("int", CanonicalKind.Int32)]
    [InlineData("Integer", CanonicalKind.Int32)]
    [InlineData("REAL", CanonicalKind.Float64)]
    [InlineData("numeric", CanonicalKind.Decimal)]
    [InlineData("text", CanonicalKind.Text)]
    [InlineData("blob", CanonicalKind.Binary)]
    [InlineData("  decimal   text ( 9 , 4 ) ", CanonicalKind.Decimal)]
    public void Common_hand_written_spellings_are_read(string declared, CanonicalKind kind)
    {
        Assert.Equal(kind, _types.FromNative(Table, "c", SqliteTypeMap.ParseDeclared(declared)).Kind);
    }

    [Fact]
    public void Spacing_and_case_of_a_declared_type_do_not_change_its_facets()
    {
        Assert.Equal(new CanonicalType(CanonicalKind.Decimal, Precision: 9, Scale: 4),
            _types.FromNative(Table, "c", SqliteTypeMap.ParseDeclared("  decimal   text ( 9 , 4 ) ")));
    }

    [Theory]
    [InlineData("GEOMETRY")]
    [InlineData("")]
    [InlineData("VARCHAR(10,2)")]
    [InlineData("INTEGER(5)")]
    [InlineData("NUMERIC(10,2)")]
    [InlineData("TIME(3,1)")]
    [InlineData("DECIMAL")]
    public void Unsupported_declared_type_is_refused_naming_table_column_type_and_supported_types(string declared)
    {
        var error = Assert.Throws<SchemaException>(() => _types.FromNative(Table, "weird col", SqliteTypeMap.ParseDeclared(declared)));

        var spelled = declared.Length == 0 ? "(no declared type)" : declared;
        Assert.Contains($"Table Orders column weird col has type {spelled}, which repl cannot replicate.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supported SQLite types: BOOLEAN, SMALLINT, INTEGER", error.Message, StringComparison.Ordinal);
        Assert.Contains("JSON TEXT.", error.Message, StringComparison.Ordinal);
    }
}
