using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Repl.Cli;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Verify;

/// <summary>Row count and order-independent checksum of one side of a table.</summary>
internal sealed record SideSummary(long Rows, ulong Checksum)
{
    /// <summary>The checksum as 16 hex digits.</summary>
    public string ChecksumText => Checksum.ToString("x16", CultureInfo.InvariantCulture);
}

/// <summary>How a key differs between master and node.</summary>
internal enum DifferenceKind
{
    /// <summary>On the master, not on the node.</summary>
    Missing,

    /// <summary>On the node, not on the master.</summary>
    Extra,

    /// <summary>On both, with different values.</summary>
    Changed,
}

/// <summary>One key column and its value as text.</summary>
internal sealed record KeyValue(string Column, string Value);

/// <summary>One differing key; <paramref name="Columns"/> names the differing columns of a changed row.</summary>
internal sealed record KeyDifference(DifferenceKind Kind, IReadOnlyList<KeyValue> Key, IReadOnlyList<string> Columns);

/// <summary>Every differing key counted by kind, and the first of them listed.</summary>
internal sealed record TableDifferences(long Missing, long Extra, long Changed, IReadOnlyList<KeyDifference> Listed)
{
    /// <summary>How many keys differ.</summary>
    public long Total => Missing + Extra + Changed;
}

/// <summary>One table on one node.</summary>
internal sealed record TableResult(DbObjectName Table, TableMode Mode, DbObjectName SlaveTable, SideSummary Master, SideSummary Node,
    TableDifferences? Differences)
{
    /// <summary>Same row count and checksum on both sides.</summary>
    public bool IsEqual => Master == Node;
}

/// <summary>
/// Every verified table of one node, and how far the node was behind when verify read the master
/// (<paramref name="PendingCapped"/>: at least that many; counting stopped there).
/// </summary>
internal sealed record NodeResult(string Node, Vendor Provider, long PendingTransactions, bool PendingCapped, IReadOnlyList<TableResult> Tables)
{
    /// <summary>Every table equal.</summary>
    public bool IsEqual => Tables.All(t => t.IsEqual);
}

/// <summary>The outcome of <c>repl verify</c>.</summary>
internal sealed record VerifyReport(IReadOnlyList<NodeResult> Nodes, int MaxKeys, TimeSpan Duration)
{
    /// <summary>Every table equal on every node.</summary>
    public bool IsEqual => Nodes.All(n => n.IsEqual);

    /// <summary>A table (Spectre on a terminal, aligned text otherwise), the differing keys, one line per node about lag, a summary.</summary>
    public void Write(IConsoleOutput output)
    {
        output.WriteTable(
            ["node", "table", "mode", "master rows", "node rows", "master checksum", "node checksum", "result"],
            [.. Nodes.SelectMany(n => n.Tables.Select(t => (IReadOnlyList<string>)
            [
                n.Node, t.Table.ToString(), Mode(t.Mode), Count(t.Master.Rows), Count(t.Node.Rows), t.Master.ChecksumText, t.Node.ChecksumText,
                Verdict(t),
            ]))]);
        foreach (var node in Nodes)
            foreach (var table in node.Tables.Where(t => t.Differences is not null))
            {
                var differences = table.Differences!;
                foreach (var difference in differences.Listed)
                    output.WriteLine($"node {node.Node}: {table.Table}: {Kind(difference.Kind)} key {KeyText.Of(difference.Key)}" +
                        (difference.Columns.Count > 0 ? $" (columns {string.Join(", ", difference.Columns)})" : ""));
                if (differences.Total > differences.Listed.Count)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"node {node.Node}: {table.Table}: {differences.Total - differences.Listed.Count} more differing key(s) not listed (--max-keys {MaxKeys})"));
            }
        foreach (var node in Nodes)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node {node.Node}: {(node.PendingCapped ? "at least " : "")}{node.PendingTransactions} transaction(s) pending on the master when verify read it") +
                (node.IsEqual || node.PendingTransactions == 0
                    ? ""
                    : "; some differences may be lag, not damage: run verify again once repl status shows no pending transactions"));
        var tables = Nodes.Sum(n => n.Tables.Count);
        var differing = Nodes.Sum(n => n.Tables.Count(t => !t.IsEqual));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify: {tables} table(s) on {Nodes.Count} node(s) in {Duration.TotalSeconds:0.000} s: ") +
            (differing == 0 ? "all equal" : string.Create(CultureInfo.InvariantCulture, $"{differing} table(s) differ")));
    }

    /// <summary>
    /// The report as JSON, a stable shape for scripts: <c>{ equal, durationSeconds, maxKeys, nodes: [ { node, provider,
    /// pendingTransactions, pendingTransactionsCapped, equal, tables: [ { table, mode, nodeTable, equal, master: { rows, checksum }, node: { rows,
    /// checksum }, differences: null | { missing, extra, changed, total, keys: [ { kind, key: { column: value }, columns } ] } } ] } ] }</c>.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps key values readable; this goes to a terminal or a script, not a web page.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteBoolean("equal", IsEqual);
            json.WriteNumber("durationSeconds", Math.Round(Duration.TotalSeconds, 3));
            json.WriteNumber("maxKeys", MaxKeys);
            json.WriteStartArray("nodes");
            foreach (var node in Nodes)
            {
                json.WriteStartObject();
                json.WriteString("node", node.Node);
                json.WriteString("provider", VendorNames.Of(node.Provider));
                json.WriteNumber("pendingTransactions", node.PendingTransactions);
                json.WriteBoolean("pendingTransactionsCapped", node.PendingCapped);
                json.WriteBoolean("equal", node.IsEqual);
                json.WriteStartArray("tables");
                foreach (var table in node.Tables)
                    WriteTable(json, table);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTable(Utf8JsonWriter json, TableResult table)
    {
        json.WriteStartObject();
        json.WriteString("table", table.Table.ToString());
        json.WriteString("mode", Mode(table.Mode));
        json.WriteString("nodeTable", table.SlaveTable.ToString());
        json.WriteBoolean("equal", table.IsEqual);
        WriteSide(json, "master", table.Master);
        WriteSide(json, "node", table.Node);
        if (table.Differences is null)
        {
            json.WriteNull("differences");
        }
        else
        {
            var differences = table.Differences;
            json.WriteStartObject("differences");
            json.WriteNumber("missing", differences.Missing);
            json.WriteNumber("extra", differences.Extra);
            json.WriteNumber("changed", differences.Changed);
            json.WriteNumber("total", differences.Total);
            json.WriteStartArray("keys");
            foreach (var difference in differences.Listed)
            {
                json.WriteStartObject();
                json.WriteString("kind", Kind(difference.Kind));
                json.WriteStartObject("key");
                foreach (var part in difference.Key)
                    json.WriteString(part.Column, part.Value);
                json.WriteEndObject();
                json.WriteStartArray("columns");
                foreach (var column in difference.Columns)
                    json.WriteStringValue(column);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteSide(Utf8JsonWriter json, string name, SideSummary side)
    {
        json.WriteStartObject(name);
        json.WriteNumber("rows", side.Rows);
        json.WriteString("checksum", side.ChecksumText);
        json.WriteEndObject();
    }

    private static string Verdict(TableResult table)
    {
        if (table.IsEqual)
            return "equal";
        var d = table.Differences;
        return d is null
            ? "differs"
            : string.Create(CultureInfo.InvariantCulture, $"differs: {d.Missing} missing, {d.Extra} extra, {d.Changed} changed");
    }

    private static string Mode(TableMode mode) => mode == TableMode.Snapshot ? "snapshot" : "log";

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The word for a kind of difference, as printed and in JSON.</summary>
    public static string Kind(DifferenceKind kind) => kind switch
    {
        DifferenceKind.Missing => "missing",
        DifferenceKind.Extra => "extra",
        _ => "changed",
    };
}

/// <summary>Key values as text for people: numbers and timestamps invariant, text quoted, bytes in hex.</summary>
internal static class KeyText
{
    /// <summary>A whole key, e.g. <c>id=3</c> or <c>region='eu', id=7</c>.</summary>
    public static string Of(IReadOnlyList<KeyValue> key) => string.Join(", ", key.Select(k => $"{k.Column}={k.Value}"));

    /// <summary>One canonical value.</summary>
    public static string Render(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime d => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'",
        DateOnly d => "'" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'",
        TimeOnly t => "'" + t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'",
        Guid g => "'" + g.ToString("D") + "'",
        bool b => b ? "true" : "false",
        decimal d => d.ToString("0.############################", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
