namespace Repl.Schema.Oracle;

/// <summary>
/// Oracle identifier rules: double-quoted (case-sensitive) identifiers. Oracle 12.2 and later accept names of up to
/// 128 bytes; before 12.2, or with COMPATIBLE below 12.2, the limit is 30 bytes (<c>OracleSchema.Create(30)</c>).
/// Oracle counts the limit in bytes of the database character set, so <see cref="LengthUnit"/> is UTF-8 bytes, which
/// is exact for the usual AL32UTF8 databases (a single-byte character set would allow more, never fewer, characters).
/// A quoted Oracle identifier cannot contain a double quote or NUL at all, so such names are refused, not escaped.
/// </summary>
public sealed class OracleIdentifiers : IIdentifierRules
{
    /// <summary>The limit of Oracle 12.2 and later, in bytes.</summary>
    public const int DefaultMaxLength = 128;

    /// <summary>The limit before Oracle 12.2, in bytes.</summary>
    public const int LegacyMaxLength = 30;

    /// <summary>Creates the rules for a database whose identifier limit is <paramref name="maxLength"/> bytes (30 to 128).</summary>
    public OracleIdentifiers(int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, LegacyMaxLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, DefaultMaxLength);
        MaxLength = maxLength;
    }

    /// <inheritdoc />
    public int MaxLength { get; }

    /// <inheritdoc />
    public IdentifierLengthUnit LengthUnit => IdentifierLengthUnit.Utf8Bytes;

    /// <inheritdoc />
    public string Quote(string rawName)
    {
        ArgumentException.ThrowIfNullOrEmpty(rawName);
        if (rawName.Contains('"', StringComparison.Ordinal) || rawName.Contains('\0', StringComparison.Ordinal))
            throw new SchemaException(
                $"The name {rawName.Replace("\0", "\\0", StringComparison.Ordinal)} contains a double quote or NUL character, which an Oracle identifier cannot hold even when quoted. Rename the object on the master, or replicate it to a differently named target.");
        return "\"" + rawName + "\"";
    }

    /// <inheritdoc />
    public string Quote(DbObjectName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Schema is null ? Quote(name.Name) : Quote(name.Schema) + "." + Quote(name.Name);
    }

    /// <inheritdoc />
    public string Shorten(string rawName) => IdentifierShortener.Shorten(rawName, MaxLength, LengthUnit);

    /// <inheritdoc />
    public string Derive(params string[] parts) => Shorten(string.Join('_', parts));

    /// <summary>Whether <paramref name="rawName"/> fits <see cref="MaxLength"/> as it is.</summary>
    public bool Fits(string rawName) => IdentifierShortener.Measure(rawName, LengthUnit) <= MaxLength;
}
