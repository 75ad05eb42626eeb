using System.Data;
using System.Data.Common;
using System.Globalization;
using Npgsql;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Dialects.PostgreSql;

/// <summary>Reads a PostgreSQL master: REPEATABLE READ snapshot, advisory lock per node, the change and load queries.</summary>
internal sealed class PostgreSqlMaster(SchemaDialect schema, PostgreSqlCapture capture) : IMasterReader
{
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        // The snapshot is taken at the first statement, not at BEGIN: take it now so every later read shares it.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1";
        await command.ExecuteScalarAsync(cancellationToken);
        return transaction;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Tries for up to a second: a session that has just closed (the previous run of this node, even in this process)
    /// releases its advisory locks only when its server process ends, a moment after the client has gone.
    /// </remarks>
    public async Task<bool> TryLockNodeAsync(DbConnection connection, string node, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", (NpgsqlConnection)connection);
        command.Parameters.AddWithValue(LockName(node));
        for (var attempt = 1; ; attempt++)
        {
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                return true;
            if (attempt == 10)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>The advisory lock key text of a node, shared with status (which reports who holds it).</summary>
    public static string LockName(string node) => "repl.replay." + node.ToLowerInvariant();

    /// <inheritdoc/>
    public string SelectChanges(ReplicatedTable table, string node)
    {
        var keys = table.Source.Key.Columns.Select(identifiers.Quote).ToList();
        var firstKey = keys[0];
        return $"""
            SELECT {string.Join(", ", keys.Select(k => "k." + k))}, t.{firstKey} IS NOT NULL AS repl_present,
                   {string.Join(", ", table.Source.Columns.Select(c => "t." + identifiers.Quote(c.Name)))}
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
        // PostgreSQL's INSERT ... SELECT reads through the transaction's snapshot: one statement, no round trip per txid.
        // DISTINCT: a transaction appears once per row it logged, and UNION removes duplicates only between two or more logs.
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var pending = logs.Select(t =>
            $"SELECT DISTINCT l.txid FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid)");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {processed} (txid)\n{string.Join("\nUNION\n", pending)}";
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public string PendingTablesQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        return string.Join("\nUNION ALL\n", tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {i} WHERE EXISTS (SELECT 1 FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid))")));
    }

    /// <inheritdoc/>
    public string RecordCycleSql(string node) =>
        $"UPDATE {Nodes} SET last_cycle_at = now() WHERE name = {PostgreSqlCapture.Literal(node)}";

    /// <inheritdoc/>
    public string PendingQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        return string.Join("\nUNION ALL\n", tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {i}, count(DISTINCT l.txid), count(*), EXTRACT(EPOCH FROM now() - min(l.logged_at))::float8 FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid) HAVING count(*) > 0")));
    }

    /// <inheritdoc/>
    public string PendingTransactionsQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var pending = tables.Select(t =>
            $"SELECT l.txid FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.txid = l.txid)");
        return $"SELECT count(DISTINCT txid) FROM (\n{string.Join("\nUNION ALL\n", pending)}\n) pending";
    }

    /// <inheritdoc/>
    public string NodesQuery =>
        $"SELECT name, loaded_at IS NOT NULL, last_cycle_at, EXTRACT(EPOCH FROM now() - last_cycle_at)::float8 FROM {Nodes}";

    private string Nodes => identifiers.Quote(new DbObjectName(PostgreSqlCapture.SchemaName, "nodes"));

    /// <inheritdoc/>
    public async Task<IChangeSignal?> ListenAsync(DbConnection dedicatedConnection, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)dedicatedConnection;
        await using (var listen = new NpgsqlCommand($"LISTEN {identifiers.Quote(PostgreSqlCapture.NotifyChannel)}", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken);
        return new PostgreSqlChangeSignal(connection);
    }

    /// <inheritdoc/>
    public string SelectAll(ReplicatedTable table) =>
        $"SELECT {string.Join(", ", table.Source.Columns.Select(c => identifiers.Quote(c.Name)))} FROM {identifiers.Quote(table.Source.Name)}";
}
