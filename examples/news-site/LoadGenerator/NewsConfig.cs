using System.Collections;
using System.Text.Json;
using Repl.Schema;

namespace Repl.Examples.NewsSite;

/// <summary>A database named in repl.json: its provider and connection string.</summary>
internal sealed record NewsDatabase(string Name, Vendor Vendor, string ConnectionString);

/// <summary>
/// The parts of repl.json the load generator needs (master, nodes, table names), read the way repl reads them: the
/// <c>REPL_master__connectionString</c> and <c>REPL_nodes__&lt;name&gt;__connectionString</c> environment variables
/// override the file, so the password never has to be in it.
/// </summary>
internal sealed record NewsConfig(NewsDatabase Master, IReadOnlyList<NewsDatabase> Nodes, IReadOnlyList<string> Tables)
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads <paramref name="path"/> with the process's environment overrides.</summary>
    public static NewsConfig Load(string path)
    {
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith("REPL_", StringComparison.OrdinalIgnoreCase) && entry.Value is string value)
                overrides[name[5..].Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path), Options);
        var root = document.RootElement;
        var master = Database("master", "master", root.GetProperty("master"), overrides);
        var nodes = root.GetProperty("nodes").EnumerateObject()
            .Select(n => Database(n.Name, "nodes:" + n.Name, n.Value, overrides))
            .ToList();
        var tables = root.GetProperty("tables").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString() ?? "")
            .ToList();
        return new NewsConfig(master, nodes, tables);
    }

    /// <summary>The vendor of a repl provider name (postgresql, mysql, sqlite).</summary>
    public static Vendor VendorOf(string provider) => provider.ToUpperInvariant() switch
    {
        "POSTGRESQL" => Vendor.PostgreSql,
        "MYSQL" => Vendor.MySql,
        "SQLITE" => Vendor.Sqlite,
        _ => throw new InvalidOperationException($"provider \"{provider}\" is not supported by the load generator; use postgresql, mysql or sqlite"),
    };

    private static NewsDatabase Database(string name, string keyPath, JsonElement section, Dictionary<string, string> overrides)
    {
        var provider = overrides.GetValueOrDefault(keyPath + ":provider") ?? section.GetProperty("provider").GetString() ?? "";
        var connectionString = overrides.GetValueOrDefault(keyPath + ":connectionString") ?? section.GetProperty("connectionString").GetString() ?? "";
        return new NewsDatabase(name, VendorOf(provider), connectionString);
    }
}
