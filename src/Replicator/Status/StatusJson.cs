using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Repl.Status;

/// <summary>
/// <c>repl status --json</c>: a stable shape for machines, documented in the README. Names and fields are only ever
/// added, never renamed or removed. Times are ISO 8601 UTC; seconds are numbers; absent values are null.
/// </summary>
internal static class StatusJson
{
    /// <summary>The JSON text of a report.</summary>
    public static string Write(StatusReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("status", Name(report.Level));
            json.WriteNumber("exitCode", (int)report.Level);
            json.WriteString("summary", report.Summary);
            json.WriteStartObject("thresholds");
            Number(json, "warnSeconds", report.Thresholds.WarnSeconds);
            Number(json, "critSeconds", report.Thresholds.CritSeconds);
            json.WriteEndObject();
            json.WriteNumber("lagSeconds", Round(report.LagSeconds));
            if (report.PurgeHeldBackBy is { } holder)
                json.WriteString("purgeHeldBackBy", holder);
            else
                json.WriteNull("purgeHeldBackBy");
            json.WriteStartArray("nodes");
            foreach (var node in report.Nodes)
                WriteNode(json, node);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The Nagios name of a level: OK, WARNING, CRITICAL, UNKNOWN.</summary>
    public static string Name(StatusLevel level) => level switch
    {
        StatusLevel.Ok => "OK",
        StatusLevel.Warning => "WARNING",
        StatusLevel.Critical => "CRITICAL",
        _ => "UNKNOWN",
    };

    private static void WriteNode(Utf8JsonWriter json, NodeStatus node)
    {
        json.WriteStartObject();
        json.WriteString("name", node.Name);
        json.WriteBoolean("configured", node.Configured);
        json.WriteBoolean("registered", node.Registered);
        json.WriteBoolean("loaded", node.Loaded);
        if (node.LastCycleAt is { } at)
            json.WriteString("lastCycleAt", at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        else
            json.WriteNull("lastCycleAt");
        Number(json, "secondsSinceLastCycle", node.SecondsSinceLastCycle);
        json.WriteNumber("pendingTransactions", node.PendingTransactions);
        json.WriteNumber("pendingRows", node.PendingRows);
        json.WriteNumber("lagSeconds", Round(node.LagSeconds));
        json.WriteStartArray("tables");
        foreach (var table in node.Tables)
        {
            json.WriteStartObject();
            json.WriteString("table", table.Table);
            json.WriteNumber("pendingTransactions", table.PendingTransactions);
            json.WriteNumber("pendingRows", table.PendingRows);
            json.WriteNumber("lagSeconds", Round(table.LagSeconds));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
            json.WriteNumber(name, Round(number));
        else
            json.WriteNull(name);
    }

    // Milliseconds are all the precision a lag needs, and keep the text short.
    private static double Round(double seconds) => Math.Round(seconds, 3);
}
