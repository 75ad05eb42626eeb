using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Cli;

/// <summary><c>repl config show</c>: the effective configuration (file plus environment overrides, defaults filled in) as JSON, passwords redacted.</summary>
internal sealed class ConfigShowCommand : IVerb
{
    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["config", "show"];

    /// <inheritdoc />
    public string Description => "Validate the configuration and print it as repl uses it: REPL_ environment overrides applied, defaults filled in, passwords redacted.";

    /// <inheritdoc />
    public bool ChangesDatabases => false;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols { get; } = [];

    /// <inheritdoc />
    public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        context.Output.WriteLine(ToJson(config));
        return Task.FromResult(ExitCodes.Success);
    }

    private static string ToJson(ReplConfig config)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps connection strings readable ('=' and '+' unescaped); this goes to a terminal, not a web page.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("master");
            WriteDatabase(json, config.Master);
            json.WriteEndObject();

            json.WriteStartArray("tables");
            foreach (var table in config.Tables)
            {
                json.WriteStartObject();
                json.WriteString("name", table.Name.ToString());
                json.WriteString("mode", table.Mode == TableMode.Snapshot ? "snapshot" : "log");
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartObject("nodes");
            foreach (var node in config.Nodes)
            {
                json.WriteStartObject(node.Name);
                WriteDatabase(json, node);
                json.WriteEndObject();
            }
            json.WriteEndObject();

            json.WriteStartObject("replay");
            json.WriteString("interval", config.Replay.Interval.ToString("c", CultureInfo.InvariantCulture));
            json.WriteNumber("batchSize", config.Replay.BatchSize);
            if (config.Replay.MetricsPort is { } port)
                json.WriteNumber("metricsPort", port);
            json.WriteEndObject();

            json.WriteStartObject("purge");
            json.WriteString("interval", config.Purge.Interval is { } interval ? interval.ToString("c", CultureInfo.InvariantCulture) : "off");
            json.WriteNumber("batchSize", config.Purge.BatchSize);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteDatabase(Utf8JsonWriter json, IDatabaseConfig database)
    {
        json.WriteString("provider", VendorNames.Of(database.Provider));
        json.WriteString("connectionString", ConnectionStrings.Redact(database.ConnectionString));
    }
}
