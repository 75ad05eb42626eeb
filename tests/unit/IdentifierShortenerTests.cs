using Repl.Schema;

namespace Repl.Tests;

public sealed class IdentifierShortenerTests
{
    [Fact]
    public void Two_long_names_differing_only_at_the_end_stay_distinct_and_fit()
    {
        var a = new string('a', 80) + "_first";
        var b = new string('a', 80) + "_second";

        var sa = IdentifierShortener.Shorten(a, 63, IdentifierLengthUnit.Utf8Bytes);
        var sb = IdentifierShortener.Shorten(b, 63, IdentifierLengthUnit.Utf8Bytes);

        Assert.NotEqual(sa, sb);
        Assert.Equal(63, System.Text.Encoding.UTF8.GetByteCount(sa));
        Assert.Equal(sa, IdentifierShortener.Shorten(a, 63, IdentifierLengthUnit.Utf8Bytes));
    }

    [Fact]
    public void A_name_that_fits_is_returned_unchanged()
    {
        Assert.Equal("SiteUsers", IdentifierShortener.Shorten("SiteUsers", 30, IdentifierLengthUnit.Characters));
    }

    [Fact]
    public void Multibyte_names_are_cut_on_character_boundaries_within_the_byte_limit()
    {
        var name = string.Concat(Enumerable.Repeat("表🙂", 30));
        var shortened = IdentifierShortener.Shorten(name, 63, IdentifierLengthUnit.Utf8Bytes);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(shortened) <= 63);
        Assert.DoesNotContain('\uFFFD', shortened);
        Assert.StartsWith("表🙂", shortened, StringComparison.Ordinal);
    }
}
