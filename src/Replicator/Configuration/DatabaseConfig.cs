using Repl.Schema;

namespace Repl.Configuration;

/// <summary>A database repl connects to: the master or one node.</summary>
internal interface IDatabaseConfig
{
    /// <summary>How messages name it: <c>master</c> or <c>node pg1</c>.</summary>
    string Label { get; }

    /// <summary>The config key path of its section, e.g. <c>nodes:pg1</c>.</summary>
    string KeyPath { get; }

    /// <summary>The database product.</summary>
    Vendor Provider { get; }

    /// <summary>The driver's connection string; print it only through <see cref="ConnectionStrings.Redact"/>.</summary>
    string ConnectionString { get; }
}

/// <summary>The master database, where changes are captured.</summary>
internal sealed record MasterConfig(Vendor Provider, string ConnectionString) : IDatabaseConfig
{
    /// <inheritdoc />
    public string Label => "master";

    /// <inheritdoc />
    public string KeyPath => "master";

    /// <summary>Redacted, so that logging the record never prints a password.</summary>
    public override string ToString() => $"master ({VendorNames.Of(Provider)}, {ConnectionStrings.Redact(ConnectionString)})";
}

/// <summary>A slave database; its name is part of table names on the master (<c>repl.processed_&lt;name&gt;</c>).</summary>
internal sealed record NodeConfig(string Name, Vendor Provider, string ConnectionString) : IDatabaseConfig
{
    /// <inheritdoc />
    public string Label => $"node {Name}";

    /// <inheritdoc />
    public string KeyPath => $"nodes:{Name}";

    /// <summary>Redacted, so that logging the record never prints a password.</summary>
    public override string ToString() => $"node {Name} ({VendorNames.Of(Provider)}, {ConnectionStrings.Redact(ConnectionString)})";
}
