namespace Repl.Schema;

/// <summary>
/// The one component per vendor that turns raw names into SQL identifiers: quoting, the length limit and
/// deterministic shortening. Code never quotes a name by hand.
/// </summary>
public interface IIdentifierRules
{
    /// <summary>Longest identifier the vendor accepts, in the unit it counts (<see cref="LengthUnit"/>).</summary>
    int MaxLength { get; }

    /// <summary>Whether <see cref="MaxLength"/> counts UTF-8 bytes (PostgreSQL) or characters.</summary>
    IdentifierLengthUnit LengthUnit { get; }

    /// <summary>Quotes a raw name so that any character (spaces, quotes, reserved words, Unicode, case) survives.</summary>
    string Quote(string rawName);

    /// <summary>Quotes a possibly schema-qualified name.</summary>
    string Quote(DbObjectName name);

    /// <summary>
    /// Returns the raw name unchanged when it fits <see cref="MaxLength"/>, else a deterministic shortening that
    /// keeps a readable prefix and ends in a hash of the whole name, so two long names stay distinct.
    /// </summary>
    string Shorten(string rawName);

    /// <summary>Builds a generated object name (log table, trigger, routine) from parts, shortened to fit.</summary>
    string Derive(params string[] parts);
}

/// <summary>How an identifier's length is counted.</summary>
public enum IdentifierLengthUnit
{
    /// <summary>Characters (MariaDB, SQLite).</summary>
    Characters,
    /// <summary>UTF-8 bytes (PostgreSQL NAMEDATALEN-1 = 63; Oracle, whose limit is in bytes of an AL32UTF8 database).</summary>
    Utf8Bytes,
}
