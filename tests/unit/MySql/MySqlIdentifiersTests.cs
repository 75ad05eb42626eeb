using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Tests.MySql;

public sealed class MySqlIdentifiersTests
{
    private readonly MySqlIdentifiers rules = new();

    [Theory]
    [InlineData("SiteUsers", "`SiteUsers`")]
    [InlineData("with space", "`with space`")]
    [InlineData("it's", "`it's`")]
    [InlineData("say \"hi\"", "`say \"hi\"`")]
    [InlineData("back`tick", "`back``tick`")]
    [InlineData("``", "``````")]
    [InlineData("select", "`select`")]
    [InlineData("a.b", "`a.b`")]
    [InlineData("back\\slash", "`back\\slash`")]
    [InlineData(" leading", "` leading`")]
    [InlineData("Ärger 表", "`Ärger 表`")]
    public void Quote_wraps_in_backticks_and_doubles_backticks_only(string raw, string quoted)
    {
        Assert.Equal(quoted, rules.Quote(raw));
    }

    [Fact]
    public void Quote_of_a_qualified_name_quotes_database_and_table_apart()
    {
        Assert.Equal("`news db`.`Site.Users`", rules.Quote(new DbObjectName("news db", "Site.Users")));
        Assert.Equal("`t`", rules.Quote(new DbObjectName(null, "t")));
    }

    [Theory]
    [InlineData("trailing ", "ends with white space")]
    [InlineData("tab\t", "ends with white space")]
    [InlineData("nul\0inside", "NUL")]
    [InlineData("", "empty")]
    [InlineData("smile🙂", "outside the Basic Multilingual Plane")]
    public void Names_MariaDB_cannot_hold_are_refused_naming_the_identifier(string raw, string reason)
    {
        var e = Assert.Throws<SchemaException>(() => rules.Quote(raw));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("'" + raw.Replace("\t", "\\u0009", StringComparison.Ordinal).Replace("\0", "\\u0000", StringComparison.Ordinal) + "'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_64_character_name_is_accepted_and_a_65_character_name_refused()
    {
        var name64 = new string('x', 64);
        Assert.Equal(64, rules.MaxLength);
        Assert.Equal(IdentifierLengthUnit.Characters, rules.LengthUnit);
        Assert.Equal("`" + name64 + "`", rules.Quote(name64));
        var e = Assert.Throws<SchemaException>(() => rules.Quote(name64 + "x"));
        Assert.Contains("65 characters long and MariaDB allows 64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shorten_keeps_names_that_fit_and_cuts_longer_ones_to_64_distinct_characters()
    {
        var fits = new string('a', 64);
        var first = new string('a', 80) + "_first";
        var second = new string('a', 80) + "_second";

        Assert.Same(fits, rules.Shorten(fits));
        Assert.Equal(64, rules.Shorten(first).Length);
        Assert.Equal(64, rules.Shorten(second).Length);
        Assert.NotEqual(rules.Shorten(first), rules.Shorten(second));
        Assert.Equal(rules.Shorten(first), rules.Shorten(first));
        Assert.StartsWith(new string('a', 55), rules.Shorten(first), StringComparison.Ordinal);
    }

    [Fact]
    public void Shorten_also_fits_the_table_file_name_that_MariaDB_derives_from_a_name()
    {
        // 60 quote characters are within 64 characters but encode as 60 x '@0022' = 300 bytes: "File name too long".
        var quotes = new string('"', 60);
        var shortened = rules.Shorten(quotes);

        Assert.NotEqual(quotes, shortened);
        Assert.True(MySqlIdentifiers.TableFileNameBytes(shortened) <= MySqlIdentifiers.MaxTableFileNameBytes);
        Assert.Equal(shortened, rules.Shorten(quotes));
        Assert.Equal(50 * 5, MySqlIdentifiers.TableFileNameBytes(new string('"', 50)));
        Assert.Equal(64, MySqlIdentifiers.TableFileNameBytes(new string('a', 63) + "_"));
    }

    [Fact]
    public void Derive_joins_parts_with_underscores_and_shortens_deterministically()
    {
        Assert.Equal("SiteUsers_email_key", rules.Derive("SiteUsers", "email", "key"));
        var longTable = new string('t', 70);
        var derived = rules.Derive(longTable, "email", "key");
        Assert.Equal(64, derived.Length);
        Assert.Equal(derived, rules.Derive(longTable, "email", "key"));
        Assert.NotEqual(derived, rules.Derive(longTable, "email", "idx"));
    }
}
