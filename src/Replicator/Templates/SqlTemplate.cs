using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Repl.Templates;

/// <summary>
/// Renders the DBA-readable SQL templates embedded from sql/triggers/. A template is plain SQL with
/// <c>{{placeholder}}</c> slots; statements are separated by a line holding only <c>/</c> (the SQL*Plus convention),
/// because routine bodies contain semicolons. Leading comment lines of the file are documentation and are dropped.
/// Every placeholder must be given and every given value must be used, so a template and its generator cannot drift.
/// </summary>
internal static partial class SqlTemplate
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>Renders <paramref name="path"/> (e.g. <c>postgresql/capture.sql</c>) into its statements.</summary>
    public static IReadOnlyList<string> Render(string path, IReadOnlyDictionary<string, string> values)
    {
        var text = Cache.GetOrAdd(path, Load);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var rendered = Placeholder().Replace(text, m =>
        {
            var key = m.Groups[1].Value;
            if (!values.TryGetValue(key, out var value))
                throw new InvalidOperationException($"Template {path} needs a value for {{{{{key}}}}}.");
            used.Add(key);
            return value;
        });
        var unused = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unused.Count > 0)
            throw new InvalidOperationException($"Template {path} has no slot for {string.Join(", ", unused)}.");
        return Split(rendered);
    }

    /// <summary>Names of the embedded templates, for tests and documentation.</summary>
    public static IReadOnlyList<string> Names() =>
        typeof(SqlTemplate).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(ToPath).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private static List<string> Split(string rendered)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        foreach (var line in rendered.Split('\n'))
        {
            if (line.TrimEnd('\r').Trim() == "/")
            {
                Flush();
                continue;
            }
            current.Append(line.TrimEnd('\r')).Append('\n');
        }
        Flush();
        return statements;

        void Flush()
        {
            var lines = current.ToString().Split('\n').ToList();
            current.Clear();
            // Comment lines before a statement document it in the file; the statement itself starts at its first SQL line.
            while (lines.Count > 0 && (lines[0].Trim().Length == 0 || lines[0].TrimStart().StartsWith("--", StringComparison.Ordinal)))
                lines.RemoveAt(0);
            var statement = string.Join('\n', lines).TrimEnd();
            if (statement.Length > 0)
                statements.Add(statement);
        }
    }

    private static string Load(string path)
    {
        var assembly = typeof(SqlTemplate).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => ToPath(n) == path)
            ?? throw new InvalidOperationException($"No embedded SQL template {path}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // Resources are embedded with LogicalName "sql/triggers/<vendor>/<file>.sql" (see Replicator.csproj).
    private static string ToPath(string resource) =>
        resource.StartsWith(Prefix, StringComparison.Ordinal) ? resource[Prefix.Length..].Replace('\\', '/') : resource;

    private const string Prefix = "sql/triggers/";

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
