namespace Repl.Schema.PostgreSql;

/// <summary>
/// PostgreSQL identifiers: always double-quoted (a <c>"</c> inside is doubled), so case, spaces, reserved words and
/// Unicode survive; at most 63 UTF-8 bytes (NAMEDATALEN - 1), longer generated names shortened by <see cref="IdentifierShortener"/>.
/// </summary>
public sealed class PostgreSqlIdentifiers : IIdentifierRules
{
    private const int NameDataLengthMinusOne = 63;

    /// <inheritdoc />
    public int MaxLength => NameDataLengthMinusOne;

    /// <inheritdoc />
    public IdentifierLengthUnit LengthUnit => IdentifierLengthUnit.Utf8Bytes;

    /// <inheritdoc />
    public string Quote(string rawName)
    {
        ArgumentException.ThrowIfNullOrEmpty(rawName);
        if (rawName.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"The name \"{rawName}\" contains a NUL character, which PostgreSQL identifiers cannot hold.", nameof(rawName));
        // PostgreSQL silently truncates a longer identifier, which would then name a different object than intended.
        var bytes = IdentifierShortener.Measure(rawName, LengthUnit);
        if (bytes > MaxLength)
            throw new ArgumentException(
                $"The name \"{rawName}\" is {bytes} UTF-8 bytes; PostgreSQL keeps only {MaxLength}. Shorten it with Shorten or Derive first.",
                nameof(rawName));
        return "\"" + rawName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <inheritdoc />
    public string Quote(DbObjectName name) =>
        name.Schema is null ? Quote(name.Name) : Quote(name.Schema) + "." + Quote(name.Name);

    /// <inheritdoc />
    public string Shorten(string rawName) => IdentifierShortener.Shorten(rawName, MaxLength, LengthUnit);

    /// <inheritdoc />
    public string Derive(params string[] parts)
    {
        if (parts.Length == 0)
            throw new ArgumentException("A derived name needs at least one part.", nameof(parts));
        return Shorten(string.Join('_', parts));
    }
}
