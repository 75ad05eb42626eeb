using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.Tests.Sqlite;

public sealed class SqliteIdentifiersTests
{
    private readonly SqliteIdentifiers _names = new();

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("back`tick", "\"back`tick\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("Ünïcödé 😀 表", "\"Ünïcödé 😀 表\"")]
    public void Names_are_double_quoted_with_embedded_double_quotes_doubled(string raw, string quoted)
    {
        Assert.Equal(quoted, _names.Quote(raw));
    }

    [Fact]
    public void A_qualified_name_quotes_schema_and_table_separately()
    {
        Assert.Equal("\"main\".\"my.table\"", _names.Quote(new DbObjectName("main", "my.table")));
    }

    [Fact]
    public void A_name_with_a_nul_character_is_refused_because_sqlite_would_cut_it_short()
    {
        var error = Assert.Throws<SchemaException>(() => _names.Quote("bad\0name"));
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derived_names_are_bounded_by_1000_characters_deterministically_and_stay_distinct()
    {
        var table = new string('t', 990);

        var a = _names.Derive(table, "first_column", "key");
        var b = _names.Derive(table, "second_column", "key");

        Assert.Equal(1000, _names.MaxLength);
        Assert.Equal(1000, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(a, _names.Derive(table, "first_column", "key"));
        Assert.Equal("Orders_pkey", _names.Derive("Orders", "pkey"));
    }
}
