namespace Repl.Schema;

/// <summary>
/// A raw (unquoted) object name as the catalog spells it, optionally qualified by a schema.
/// Quoting is done only by a vendor's <see cref="IIdentifierRules"/>; a quoted name never goes in here.
/// </summary>
public sealed record DbObjectName(string? Schema, string Name)
{
    /// <summary>Parses <c>name</c> or <c>schema.name</c> as typed in a config file (no quoting).</summary>
    public static DbObjectName Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new DbObjectName(null, text) : new DbObjectName(text[..dot], text[(dot + 1)..]);
    }

    /// <summary>The readable form used in messages, e.g. <c>public.SiteUsers</c>.</summary>
    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
}
