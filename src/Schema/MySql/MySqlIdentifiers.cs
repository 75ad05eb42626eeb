using System.Globalization;
using System.Text;

namespace Repl.Schema.MySql;

/// <summary>
/// MariaDB/MySQL identifiers: backtick quoting (a backtick inside a name is doubled), at most 64 characters.
/// <para>
/// Some names cannot exist on MariaDB at all, however they are quoted, and <see cref="Quote(string)"/> refuses them with a
/// <see cref="SchemaException"/> naming the identifier instead of letting the server fail later: the empty name, names
/// that contain NUL, names that end with a space or other ASCII white space (the server rejects them), names longer
/// than 64 characters, and names with characters outside the Basic Multilingual Plane such as emoji (MariaDB keeps
/// identifiers in 3-byte utf8mb3 and answers "Invalid utf8mb4 character string").
/// </para>
/// <para>
/// A table is also a file named after the table: every character other than ASCII letters, digits and <c>_</c> is
/// written as <c>@xxxx</c>, and Linux allows 255 bytes per file name, so a 64-character name of quotes or CJK
/// characters fails with "File name too long". <see cref="Shorten"/> and <see cref="Derive"/> therefore also keep
/// that encoding within <see cref="MaxTableFileNameBytes"/>, so any name they return can name a table.
/// </para>
/// </summary>
public sealed class MySqlIdentifiers : IIdentifierRules
{
    /// <summary>Bytes the file-name encoding of a table name may take: 255 minus the 4 of the <c>.frm</c>/<c>.ibd</c> suffix.</summary>
    public const int MaxTableFileNameBytes = 251;

    // MariaDB encodes some accented letters in 3 bytes; counting every escaped character as 5 keeps the rule simple and safe.
    private const int EscapedCharacterBytes = 5;

    /// <inheritdoc/>
    public int MaxLength => 64;

    /// <inheritdoc/>
    public IdentifierLengthUnit LengthUnit => IdentifierLengthUnit.Characters;

    /// <inheritdoc/>
    public string Quote(string rawName)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        var problem = Problem(rawName);
        if (problem is not null)
            throw new SchemaException($"MariaDB cannot use the identifier '{Printable(rawName)}': {problem}. Rename it, or choose another slave vendor for it.");
        return "`" + rawName.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    /// <inheritdoc/>
    public string Quote(DbObjectName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Schema is null ? Quote(name.Name) : Quote(name.Schema) + "." + Quote(name.Name);
    }

    /// <inheritdoc/>
    public string Shorten(string rawName)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        if (rawName.Length <= MaxLength && TableFileNameBytes(rawName) <= MaxTableFileNameBytes)
            return rawName;
        for (var budget = MaxLength; ; budget--)
        {
            var shortened = IdentifierShortener.Shorten(rawName, budget, LengthUnit);
            if (TableFileNameBytes(shortened) <= MaxTableFileNameBytes)
                return shortened;
        }
    }

    /// <inheritdoc/>
    public string Derive(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return Shorten(string.Join('_', parts));
    }

    /// <summary>The length of the file name MariaDB gives a table of this name, counted conservatively.</summary>
    public static int TableFileNameBytes(string rawName)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        return rawName.Sum(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? 1 : EscapedCharacterBytes);
    }

    private string? Problem(string rawName)
    {
        if (rawName.Length == 0)
            return "the name is empty";
        if (rawName.Contains('\0', StringComparison.Ordinal))
            return "it contains the NUL character";
        if (rawName[^1] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
            return "it ends with white space, which MariaDB does not allow at the end of a name";
        if (rawName.Any(char.IsSurrogate))
            return "it contains a character outside the Basic Multilingual Plane (such as an emoji), which MariaDB identifiers cannot hold";
        if (rawName.Length > MaxLength)
            return string.Create(CultureInfo.InvariantCulture, $"it is {rawName.Length} characters long and MariaDB allows {MaxLength}; derive a shorter name with Shorten");
        return null;
    }

    private static string Printable(string rawName)
    {
        var text = new StringBuilder(rawName.Length);
        foreach (var c in rawName)
            text.Append(char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString());
        return text.ToString();
    }
}
