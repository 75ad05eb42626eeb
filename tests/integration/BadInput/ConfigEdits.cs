using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.TestSupport;

namespace Repl.IntegrationTests.BadInput;

/// <summary>Changes a scenario's repl.json the way an operator's typo would, and reads what a refusal must leave alone.</summary>
internal static class ConfigEdits
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Rewrites the config, indented (one key per line), after <paramref name="edit"/> changed it.</summary>
    public static void Edit(Replication replication, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(replication.ConfigPath))!.AsObject();
        edit(root);
        File.WriteAllText(replication.ConfigPath, root.ToJsonString(Indented));
    }

    /// <summary>The config, indented, as text.</summary>
    public static string IndentedText(Replication replication) =>
        JsonNode.Parse(File.ReadAllText(replication.ConfigPath))!.ToJsonString(Indented);

    /// <summary>Points the master, or the node <paramref name="node"/>, at <paramref name="connectionString"/> in the config only.</summary>
    public static void SetConnectionString(Replication replication, string? node, string connectionString) =>
        Edit(replication, root =>
        {
            var database = node is null ? root["master"]! : root["nodes"]![node]!;
            database["connectionString"] = connectionString;
        });

    /// <summary>
    /// Asserts that repl printed exactly one error (one "error:" line, perhaps followed by its indented list of problems)
    /// and that it was an expected one, not an unexpected failure; returns the error text.
    /// </summary>
    public static string OneError(RecordingOutput output)
    {
        Assert.Single(output.Errors, e => e.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error:", output.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected failure", output.ErrorText, StringComparison.Ordinal);
        return output.ErrorText;
    }

    /// <summary>Rows in the master's processed-transaction table of <paramref name="node"/>.</summary>
    public static Task<long> ProcessedRowsAsync(Replication replication, string node) =>
        CountAsync(replication.OpenMasterAsync(), replication.Master == Vendor.PostgreSql ? $"repl.processed_{node}" : $"repl_processed_{node}");

    /// <summary>Rows of <paramref name="table"/> on node <paramref name="node"/>.</summary>
    public static Task<long> SlaveRowsAsync(Replication replication, string node, string table) =>
        CountAsync(replication.OpenNodeAsync(node), table);

    /// <summary>Rows of <paramref name="table"/> on the master.</summary>
    public static Task<long> MasterRowsAsync(Replication replication, string table) =>
        CountAsync(replication.OpenMasterAsync(), table);

    private static async Task<long> CountAsync(Task<DbConnection> opening, string table)
    {
        await using var connection = await opening;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
