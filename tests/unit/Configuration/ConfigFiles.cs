using System.Runtime.CompilerServices;

namespace Repl.Tests.Configuration;

/// <summary>Config files for tests: one folder per test, so tests never share a file.</summary>
internal static class ConfigFiles
{
    /// <summary>A config with one table and one node that passes validation; tests edit a copy of it.</summary>
    public const string Valid = """
        {
          "master": { "provider": "postgresql", "connectionString": "Host=db;Database=news;Username=repl;Password=master-secret" },
          "tables": [ { "name": "SiteUsers" } ],
          "nodes": { "pg1": { "provider": "postgresql", "connectionString": "Host=pg1;Username=repl;Password=node-secret" } }
        }
        """;

    /// <summary>Writes <paramref name="json"/> to a fresh repl.json for the calling test and returns its path.</summary>
    public static string Write(string json, [CallerMemberName] string test = "")
    {
        var folder = Path.Combine(Path.GetTempPath(), "repl-unit-tests", test + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "repl.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>No environment variables at all.</summary>
    public static IReadOnlyDictionary<string, string?> NoEnvironment { get; } = new Dictionary<string, string?>();
}
