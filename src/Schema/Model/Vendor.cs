namespace Repl.Schema;

/// <summary>The database products repl talks to; the config spells them as <see cref="VendorNames"/>.</summary>
public enum Vendor
{
    /// <summary>PostgreSQL (config: postgresql).</summary>
    PostgreSql,
    /// <summary>MariaDB or MySQL (config: mysql).</summary>
    MySql,
    /// <summary>SQLite (config: sqlite); slave only.</summary>
    Sqlite,
    /// <summary>Oracle (config: oracle); SQL generated and golden-tested, not run against a live server here.</summary>
    Oracle,
}

/// <summary>Config spellings of <see cref="Vendor"/>.</summary>
public static class VendorNames
{
    /// <summary>Provider names accepted in the config, in documentation order.</summary>
    public static readonly IReadOnlyList<string> All = ["postgresql", "mysql", "sqlite", "oracle"];

    /// <summary>Parses a config provider name; null when unknown.</summary>
    public static Vendor? TryParse(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        "postgresql" => Vendor.PostgreSql,
        "mysql" => Vendor.MySql,
        "sqlite" => Vendor.Sqlite,
        "oracle" => Vendor.Oracle,
        _ => null,
    };

    /// <summary>The config spelling of a vendor.</summary>
    public static string Of(Vendor vendor) => All[(int)vendor];
}
