using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using MySqlConnector;
using Repl.Configuration;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Dialects.MySql;

/// <summary>Reads a MariaDB master: consistent-snapshot transaction, GET_LOCK per node, the change and load queries.</summary>
internal sealed class MySqlMaster(SchemaDialect schema, MySqlCapture capture) : IMasterReader
{
    private const int InsertBatch = 1000;
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // MySqlConnector sends START TRANSACTION WITH CONSISTENT SNAPSHOT for IsolationLevel.Snapshot: the read view
        // is created at once, not at the first read.
        return await ((MySqlConnection)connection).BeginTransactionAsync(IsolationLevel.Snapshot, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Waits up to a second: a session that has just closed (the previous run of this node, even in this process) releases
    /// its locks only when the server has ended its thread, a moment after the client has gone.
    /// </remarks>
    public async Task<bool> TryLockNodeAsync(DbConnection connection, string node, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand($"SELECT GET_LOCK({LockExpression}, 1)", (MySqlConnection)connection);
        command.Parameters.AddWithValue("@name", LockName(node));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>The lock name of a node within its master database; <see cref="LockExpression"/> makes the server's lock name of it.</summary>
    public static string LockName(string node) => "repl.replay." + node.ToLowerInvariant();

    /// <summary>
    /// SQL for the GET_LOCK name of the node whose <see cref="LockName"/> is bound to <c>@name</c>, shared with status.
    /// GET_LOCK names are server-wide and at most 64 characters: the master database is hashed in, so masters in two
    /// databases of one server never block each other's replays.
    /// </summary>
    public const string LockExpression = "CONCAT('repl.replay.', LEFT(SHA2(CONCAT(DATABASE(), '/', @name), 256), 40))";

    /// <inheritdoc/>
    public string SelectChanges(ReplicatedTable table, string node)
    {
        var keys = table.Source.Key.Columns.Select(identifiers.Quote).ToList();
        return $"""
            SELECT {string.Join(", ", keys.Select(k => "k." + k))}, t.{keys[0]} IS NOT NULL AS repl_present,
                   {string.Join(", ", table.Source.Columns.Select(c => MySqlValues.ReadExpression("t." + identifiers.Quote(c.Name), c.Type)))}
            FROM (SELECT DISTINCT {string.Join(", ", keys.Select(k => "l." + k))}
                  FROM {identifiers.Quote(table.LogName)} l
                  WHERE NOT EXISTS (SELECT 1 FROM {identifiers.Quote(capture.ProcessedTable(node))} p WHERE p.txid = l.txid)) k
            LEFT JOIN {identifiers.Quote(table.Source.Name)} t ON {string.Join(" AND ", keys.Select(k => $"t.{k} = k.{k}"))}
            """;
    }

    /// <inheritdoc/>
    public async Task<long> RecordProcessedAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<ReplicatedTable> tables, string node, CancellationToken cancellationToken)
    {
        var logs = tables.Where(t => t.Mode == TableMode.Log).ToList();
        if (logs.Count == 0)
            return 0;
        var processed = identifiers.Quote(capture.ProcessedTable(node));

        // A plain SELECT is a consistent read of the snapshot; INSERT ... SELECT would lock and read the latest rows.
        // DISTINCT: a transaction appears once per row it logged, and UNION removes duplicates only between two or more logs.
        var txids = new List<ulong>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = string.Join("\nUNION\n", logs.Select(t =>
                $"SELECT DISTINCT l.txid FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid)"));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                txids.Add(reader.GetFieldValue<ulong>(0));
        }

        foreach (var chunk in txids.Chunk(InsertBatch))
        {
            var sql = new StringBuilder("INSERT INTO ").Append(processed).Append(" (txid) VALUES ");
            sql.AppendJoin(", ", chunk.Select(t => string.Create(CultureInfo.InvariantCulture, $"({t})")));
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return txids.Count;
    }

    /// <inheritdoc/>
    public string PendingTablesQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        return string.Join("\nUNION ALL\n", tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {i} FROM DUAL WHERE EXISTS (SELECT 1 FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid))")));
    }

    /// <inheritdoc/>
    /// <remarks>NOW(6) in repl's session, which is UTC (see MySqlSchema.SessionSetupSql).</remarks>
    public string RecordCycleSql(string node) =>
        $"UPDATE {identifiers.Quote(MySqlCapture.Nodes)} SET last_cycle_at = NOW(6) WHERE name = {MySqlCapture.Literal(node)}";

    /// <inheritdoc/>
    /// <remarks>logged_at is a DATETIME written in the writer's session time zone: the lag is right when writers' sessions use
    /// the server's UTC, as repl's does.</remarks>
    public string PendingQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        return string.Join("\nUNION ALL\n", tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {i}, COUNT(DISTINCT l.txid), COUNT(*), TIMESTAMPDIFF(MICROSECOND, MIN(l.logged_at), NOW(6)) / 1000000.0 FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid) HAVING COUNT(*) > 0")));
    }

    /// <inheritdoc/>
    public string PendingTransactionsQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var pending = tables.Select(t =>
            $"SELECT l.txid FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid)");
        return $"SELECT COUNT(DISTINCT txid) FROM (\n{string.Join("\nUNION ALL\n", pending)}\n) pending";
    }

    /// <inheritdoc/>
    public string NodesQuery =>
        $"SELECT name, loaded_at IS NOT NULL, last_cycle_at, TIMESTAMPDIFF(MICROSECOND, last_cycle_at, NOW(6)) / 1000000.0 FROM {identifiers.Quote(MySqlCapture.Nodes)}";

    /// <inheritdoc/>
    /// <remarks>MariaDB has no notification channel: the service polls at its interval.</remarks>
    public Task<IChangeSignal?> ListenAsync(DbConnection dedicatedConnection, CancellationToken cancellationToken) =>
        Task.FromResult<IChangeSignal?>(null);

    /// <inheritdoc/>
    public string SelectAll(ReplicatedTable table) =>
        $"SELECT {string.Join(", ", table.Source.Columns.Select(c => MySqlValues.ReadExpression(identifiers.Quote(c.Name), c.Type)))} FROM {identifiers.Quote(table.Source.Name)}";
}
