using System.Globalization;
using System.Text.Json;

namespace Repl.Configuration;

/// <summary>
/// The raw config file, checked before Microsoft.Extensions.Configuration reads it: that reader loses the order of the
/// nodes, reports JSON syntax errors without a position, and rejects keys that differ only in case with a message that
/// does not say why it matters.
/// </summary>
internal sealed class ConfigFile
{
    // The same leniency as Microsoft.Extensions.Configuration.Json, so both readers accept the same files.
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly byte[] _content;

    private ConfigFile(string path, byte[] content, IReadOnlyList<string> nodeOrder)
    {
        Path = path;
        _content = content;
        NodeOrder = nodeOrder;
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The bytes read, so the configuration is built from exactly what was checked.</summary>
    public Stream OpenContent() => new MemoryStream(_content, writable: false);

    /// <summary>Node names in the order the file lists them.</summary>
    public IReadOnlyList<string> NodeOrder { get; }

    /// <summary>Reads and checks the file; a <see cref="ConfigException"/> says what is wrong and where.</summary>
    public static ConfigFile Read(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new ConfigException(fullPath, [$"file not found; --config PATH sets it (default ./{ConfigLoader.DefaultPath})"]);

        var content = File.ReadAllBytes(fullPath);
        try
        {
            using var document = JsonDocument.Parse(content, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ConfigException(fullPath, [$"the file must hold one JSON object {{ \"master\": ..., \"tables\": [...], \"nodes\": {{...}} }}, not a {Describe(document.RootElement.ValueKind)}"]);

            var problems = new List<string>();
            FindCaseDuplicates(document.RootElement, "", problems);
            if (problems.Count > 0)
                throw new ConfigException(fullPath, problems);

            var nodeOrder = document.RootElement.EnumerateObject()
                .Where(p => string.Equals(p.Name, "nodes", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Object)
                .SelectMany(p => p.Value.EnumerateObject().Select(n => n.Name))
                .ToList();
            return new ConfigFile(fullPath, content, nodeOrder);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var position = (e.BytePositionInLine ?? 0) + 1;
            throw new ConfigException(fullPath, [string.Create(CultureInfo.InvariantCulture, $"invalid JSON at line {line}, position {position}: {WithoutPosition(e.Message)}")]);
        }
    }

    private static void FindCaseDuplicates(JsonElement element, string path, List<string> problems)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
                FindCaseDuplicates(item, Child(path, index++.ToString(CultureInfo.InvariantCulture)), problems);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
            return;

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var key = Child(path, property.Name);
            if (seen.TryGetValue(property.Name, out var first))
            {
                problems.Add(string.Equals(path, "nodes", StringComparison.OrdinalIgnoreCase)
                    ? $"{key}: same node name as {Child(path, first)} ignoring case; node names become table names (repl.processed_<node>) and must differ ignoring case"
                    : $"{key}: given twice (also as {Child(path, first)}); config keys ignore case");
                continue;
            }
            seen.Add(property.Name, property.Name);
            FindCaseDuplicates(property.Value, key, problems);
        }
    }

    private static string Child(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut].TrimEnd(' ', '|', '.');
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
