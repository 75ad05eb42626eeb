using System.Text;
using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.Tests.PostgreSql;

public sealed class PostgreSqlIdentifiersTests
{
    private readonly PostgreSqlIdentifiers _rules = new();

    [Theory]
    [InlineData("SiteUsers", "\"SiteUsers\"")]
    [InlineData("has space", "\"has space\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("back`tick", "\"back`tick\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("order", "\"order\"")]
    [InlineData("Ünïcödé 表 🙂", "\"Ünïcödé 表 🙂\"")]
    public void Hostile_names_are_double_quoted_with_inner_quotes_doubled(string raw, string expected)
    {
        Assert.Equal(expected, _rules.Quote(raw));
    }

    [Fact]
    public void Qualified_names_quote_schema_and_table_separately()
    {
        Assert.Equal("\"my schema\".\"a.b\"", _rules.Quote(new DbObjectName("my schema", "a.b")));
        Assert.Equal("\"a.b\"", _rules.Quote(new DbObjectName(null, "a.b")));
    }

    [Fact]
    public void A_name_of_exactly_63_utf8_bytes_is_kept_whole()
    {
        var name = string.Concat(Enumerable.Repeat("é", 31)) + "x";
        Assert.Equal(63, Encoding.UTF8.GetByteCount(name));

        Assert.Equal(name, _rules.Shorten(name));
        Assert.Equal("\"" + name + "\"", _rules.Quote(name));
    }

    [Fact]
    public void A_name_of_64_utf8_bytes_but_32_characters_is_shortened_to_fit_the_byte_limit()
    {
        var name = string.Concat(Enumerable.Repeat("é", 32));
        Assert.Equal(32, name.Length);

        var shortened = _rules.Shorten(name);

        Assert.NotEqual(name, shortened);
        Assert.True(Encoding.UTF8.GetByteCount(shortened) <= 63);
        Assert.Matches("^é+_[0-9a-f]{8}$", shortened);
        Assert.Equal(shortened, _rules.Shorten(name));
    }

    [Fact]
    public void Quoting_a_name_longer_than_63_bytes_is_refused_instead_of_being_truncated_by_the_server()
    {
        var name = string.Concat(Enumerable.Repeat("🙂", 16));
        var error = Assert.Throws<ArgumentException>(() => _rules.Quote(name));
        Assert.Contains("64 UTF-8 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_names_and_names_with_nul_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _rules.Quote(""));
        Assert.Throws<ArgumentException>(() => _rules.Quote("a\0b"));
    }

    [Fact]
    public void Derive_joins_parts_with_underscores_and_shortens_long_names_apart()
    {
        Assert.Equal("AdminUsers_snap1_pkey", _rules.Derive("AdminUsers_snap1", "pkey"));

        var a = _rules.Derive(new string('t', 80) + "_one", "pkey");
        var b = _rules.Derive(new string('t', 80) + "_two", "pkey");

        Assert.NotEqual(a, b);
        Assert.Equal(63, Encoding.UTF8.GetByteCount(a));
        Assert.Equal(63, Encoding.UTF8.GetByteCount(b));
        Assert.Equal(63, _rules.MaxLength);
        Assert.Equal(IdentifierLengthUnit.Utf8Bytes, _rules.LengthUnit);
    }
}
