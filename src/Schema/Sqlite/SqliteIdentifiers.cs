namespace Repl.Schema.Sqlite;

/// <summary>
/// SQLite identifier rules: double-quoted identifiers with embedded quotes doubled. SQLite has no length limit, so
/// <see cref="MaxLength"/> is a generous 1,000 characters that only bounds the names repl generates through
/// <see cref="Derive"/>. SQLite compares identifiers case-insensitively for ASCII letters only, so <c>MixedCase</c>
/// and <c>mixedcase</c> name the same table while <c>Ä</c> and <c>ä</c> do not.
/// </summary>
public sealed class SqliteIdentifiers : IIdentifierRules
{
    /// <summary>The bound on generated names, in characters.</summary>
    public const int DefaultMaxLength = 1000;

    /// <inheritdoc />
    public int MaxLength => DefaultMaxLength;

    /// <inheritdoc />
    public IdentifierLengthUnit LengthUnit => IdentifierLengthUnit.Characters;

    /// <inheritdoc />
    public string Quote(string rawName)
    {
        ArgumentException.ThrowIfNullOrEmpty(rawName);
        // SQLite reads identifiers as C strings: a NUL would silently cut the name short.
        if (rawName.Contains('\0', StringComparison.Ordinal))
            throw new SchemaException($"The name \"{rawName.Replace("\0", "\\0", StringComparison.Ordinal)}\" contains a NUL character, which SQLite cannot store in an identifier. Rename the object.");
        return "\"" + rawName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
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
}
