using System.Globalization;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Purge;

/// <summary>
/// Counts on the master's repl objects for the <see cref="RandomWorkload"/> tables, read with plain SQL (not through repl):
/// every log row (MariaDB: history rows too), the rows some node has not processed yet, and processed rows per node.
/// </summary>
internal static class MasterLogs
{
    private static readonly string[] Tables = ["accounts", "blobs"];

    /// <summary>Every row of both logs; on MariaDB the closed (history) rows of the system-versioned logs count too.</summary>
    public static Task<long> RowsAsync(Replication replication) =>
        SumAsync(replication, Tables.Select(t => $"SELECT COUNT(*) FROM {Log(replication.Master, t)}{(replication.Master == Vendor.MySql ? " FOR SYSTEM_TIME ALL" : "")}"));

    /// <summary>Log rows whose transaction at least one of <paramref name="nodes"/> has not processed: the work still pending.</summary>
    public static Task<long> PendingRowsAsync(Replication replication, IReadOnlyList<string> nodes) =>
        SumAsync(replication, Tables.Select(t =>
            $"SELECT COUNT(*) FROM {Log(replication.Master, t)} l WHERE NOT ({string.Join(" AND ", nodes.Select(n => $"EXISTS (SELECT 1 FROM {Processed(replication.Master, n)} p WHERE p.txid = l.txid)"))})"));

    /// <summary>Rows of the node's processed table.</summary>
    public static Task<long> ProcessedRowsAsync(Replication replication, string node) =>
        SumAsync(replication, [$"SELECT COUNT(*) FROM {Processed(replication.Master, node)}"]);

    /// <summary>Rows of the node's processed table whose transaction no log refers to any more (purge deletes them).</summary>
    public static Task<long> UnreferencedProcessedRowsAsync(Replication replication, string node) =>
        SumAsync(replication, [$"SELECT COUNT(*) FROM {Processed(replication.Master, node)} p WHERE " +
            string.Join(" AND ", Tables.Select(t => $"NOT EXISTS (SELECT 1 FROM {Log(replication.Master, t)} l WHERE l.txid = p.txid)"))]);

    /// <summary>Whether the node's processed table exists on the master.</summary>
    public static async Task<bool> ProcessedTableExistsAsync(Replication replication, string node)
    {
        var sql = replication.Master == Vendor.PostgreSql
            ? $"SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'repl' AND tablename = 'processed_{node}'"
            : $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'repl_processed_{node}'";
        return await SumAsync(replication, [sql]) > 0;
    }

    private static string Log(Vendor master, string table) => master == Vendor.PostgreSql ? $"repl.{table}_log" : $"repl_{table}_log";

    private static string Processed(Vendor master, string node) => master == Vendor.PostgreSql ? $"repl.processed_{node}" : $"repl_processed_{node}";

    private static async Task<long> SumAsync(Replication replication, IEnumerable<string> queries)
    {
        await using var connection = await replication.OpenMasterAsync();
        long sum = 0;
        foreach (var sql in queries)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            sum += Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
