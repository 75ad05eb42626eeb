using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Repl.Schema;

/// <summary>
/// Deterministic shortening shared by every vendor's identifier rules: a name that does not fit keeps the longest
/// prefix that does, followed by <c>_</c> and eight hex digits of the SHA-256 of the whole name. Two long names that
/// differ only at the end therefore stay distinct, and the same name always shortens the same way.
/// </summary>
public static class IdentifierShortener
{
    private const int HashHexDigits = 8;

    /// <summary>Shortens <paramref name="rawName"/> to at most <paramref name="maxLength"/> units.</summary>
    public static string Shorten(string rawName, int maxLength, IdentifierLengthUnit unit)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        if (Measure(rawName, unit) <= maxLength)
            return rawName;

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(rawName));
        var suffix = "_" + Convert.ToHexString(hash, 0, HashHexDigits / 2).ToLower(CultureInfo.InvariantCulture);
        var budget = maxLength - suffix.Length;
        var prefix = new StringBuilder();
        var used = 0;
        foreach (var rune in rawName.EnumerateRunes())
        {
            var size = unit == IdentifierLengthUnit.Utf8Bytes ? rune.Utf8SequenceLength : rune.Utf16SequenceLength;
            if (used + size > budget)
                break;
            prefix.Append(rune.ToString());
            used += size;
        }
        return prefix + suffix;
    }

    /// <summary>The length of a name in the vendor's unit.</summary>
    public static int Measure(string name, IdentifierLengthUnit unit) =>
        unit == IdentifierLengthUnit.Utf8Bytes ? Encoding.UTF8.GetByteCount(name) : name.Length;
}
