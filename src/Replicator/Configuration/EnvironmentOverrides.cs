using System.Collections;

namespace Repl.Configuration;

/// <summary>
/// Config values from environment variables: <c>REPL_nodes__pg1__connectionString</c> sets <c>nodes:pg1:connectionString</c>,
/// so passwords stay out of files. Variables without <c>__</c> (e.g. <c>REPL_ORACLE_DRIVER_PATH</c>) are settings of
/// their own, not config keys: every top-level config key is a section, so such a name could never be a valid override.
/// </summary>
internal sealed class EnvironmentOverrides
{
    /// <summary>The prefix of every overriding variable.</summary>
    public const string Prefix = "REPL_";

    private const string Separator = "__";

    private readonly Dictionary<string, string> _variableOfKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);

    private EnvironmentOverrides(IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var (variable, value) in environment.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (value is null
                || !variable.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
                || !variable.Contains(Separator, StringComparison.Ordinal))
                continue;
            var key = variable[Prefix.Length..].Replace(Separator, ":", StringComparison.Ordinal);
            _variableOfKey[key] = variable;
            _values[key] = value;
        }
    }

    /// <summary>Config key path → value, to lay over the file.</summary>
    public IReadOnlyDictionary<string, string?> Values => _values;

    /// <summary>Reads the overrides from a set of environment variables (the process's, or a test's).</summary>
    public static EnvironmentOverrides From(IReadOnlyDictionary<string, string?> environment) => new(environment);

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> Process()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = (string?)entry.Value;
        return result;
    }

    /// <summary>A variable that set this key path or a key below it, or null when the file alone defined it.</summary>
    public string? VariableUnder(string keyPath) =>
        _variableOfKey.GetValueOrDefault(keyPath)
        ?? _variableOfKey.Where(v => v.Key.StartsWith(keyPath + ":", StringComparison.OrdinalIgnoreCase)).Select(v => v.Value).Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The variable a user would set to override this key path, e.g. <c>REPL_master__connectionString</c>.</summary>
    public static string VariableName(string keyPath) => Prefix + keyPath.Replace(":", Separator, StringComparison.Ordinal);
}
