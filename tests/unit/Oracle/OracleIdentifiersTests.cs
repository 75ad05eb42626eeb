using System.Text;
using Repl.Schema;
using Repl.Schema.Oracle;

namespace Repl.Tests.Oracle;

public sealed class OracleIdentifiersTests
{
    [Theory]
    [InlineData("SiteUsers", "\"SiteUsers\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("Ünïcödé 😀", "\"Ünïcödé 😀\"")]
    public void Names_are_double_quoted_and_keep_their_case(string raw, string quoted)
    {
        Assert.Equal(quoted, OracleSchema.Dialect.Identifiers.Quote(raw));
    }

    [Theory]
    [InlineData("say \"hi\"")]
    [InlineData("nul\0")]
    public void A_name_oracle_cannot_quote_is_refused_with_what_to_do(string raw)
    {
        var error = Assert.Throws<SchemaException>(() => OracleSchema.Dialect.Identifiers.Quote(raw));
        Assert.Contains("cannot hold even when quoted. Rename", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limit_is_128_bytes_by_default_and_30_when_asked()
    {
        Assert.Equal(128, OracleSchema.Dialect.Identifiers.MaxLength);
        Assert.Equal(30, OracleSchema.Create(30).Identifiers.MaxLength);
        Assert.Equal(IdentifierLengthUnit.Utf8Bytes, OracleSchema.Dialect.Identifiers.LengthUnit);
        Assert.Throws<ArgumentOutOfRangeException>(() => OracleSchema.Create(29));
        Assert.Throws<ArgumentOutOfRangeException>(() => OracleSchema.Create(129));
    }

    [Fact]
    public void Derived_names_are_shortened_in_bytes_so_multibyte_names_fit_the_limit()
    {
        var names = OracleSchema.Create(30).Identifiers;

        var derived = names.Derive("表表表表表表表表", "column", "key");

        Assert.True(Encoding.UTF8.GetByteCount(derived) <= 30, derived);
        Assert.StartsWith("表表表表表表表", derived, StringComparison.Ordinal);
        Assert.Equal(derived, names.Derive("表表表表表表表表", "column", "key"));
        Assert.Equal("ORDERS_pkey", names.Derive("ORDERS", "pkey"));
    }
}
