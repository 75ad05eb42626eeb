using System.Data;
using System.Data.Common;
using System.Globalization;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Reads an Oracle master through plain ADO.NET (the user's ODP.NET connection): a SERIALIZABLE snapshot, a DBMS_LOCK
/// lock per node, the change and load queries. Generated and golden-tested; not run against a live Oracle.
/// </summary>
/// <remarks>
/// For the DBA: the repl user needs EXECUTE on SYS.DBMS_LOCK (not granted to PUBLIC); DBMS_TRANSACTION, used by the
/// capture trigger, is. A cycle holds its SERIALIZABLE snapshot for its whole duration, so UNDO_RETENTION must cover
/// the longest cycle, or its reads fail with ORA-01555 (snapshot too old) and the cycle is retried.
/// </remarks>
internal sealed class OracleMaster(SchemaDialect schema, OracleCapture capture) : IMasterReader
{
    /// <summary>
    /// The node lock: a session-level DBMS_LOCK lock (release_on_commit FALSE), released when the session ends, also
    /// when the process is killed. The name includes the current schema, because a DBMS_LOCK name is database-wide and
    /// two repl installations in two schemas of one database must not block each other. Parameters: the node name (in),
    /// then the result of DBMS_LOCK.REQUEST (out).
    /// </summary>
    /// <remarks>ALLOCATE_UNIQUE commits: repl runs this block right after connecting, outside any transaction.</remarks>
    public const string LockSql = """
        DECLARE
            v_handle VARCHAR2(128);
        BEGIN
            DBMS_LOCK.ALLOCATE_UNIQUE(SUBSTRB('repl.replay.' || SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') || '.' || :node, 1, 128), v_handle);
            :result := DBMS_LOCK.REQUEST(lockhandle => v_handle, lockmode => DBMS_LOCK.X_MODE, timeout => 0, release_on_commit => FALSE);
        END;
        """;

    // DBMS_LOCK.REQUEST results: 0 granted, 1 timeout (another session holds it), 4 this session already holds it.
    private const int Granted = 0;
    private const int HeldElsewhere = 1;
    private const int AlreadyOwned = 4;

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // SERIALIZABLE: every query of the transaction, INSERT ... SELECT included, reads as of the transaction's start.
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        // Run a first statement now, so the snapshot is fixed here whatever the driver defers.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM DUAL";
        await command.ExecuteScalarAsync(cancellationToken);
        return transaction;
    }

    /// <inheritdoc/>
    public async Task<bool> TryLockNodeAsync(DbConnection connection, string node, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = LockSql;
        // ODP.NET binds by position unless told otherwise: :node, then :result, in the order they appear.
        var name = command.CreateParameter();
        name.ParameterName = "node";
        name.DbType = DbType.String;
        name.Value = node.ToLowerInvariant();
        command.Parameters.Add(name);
        var result = command.CreateParameter();
        result.ParameterName = "result";
        result.DbType = DbType.Int32;
        result.Direction = ParameterDirection.Output;
        command.Parameters.Add(result);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException e) when (e.Message.Contains("PLS-00201", StringComparison.Ordinal))
        {
            throw new ReplException(
                $"node {node}: repl cannot lock the node on the Oracle master because its user may not call DBMS_LOCK. " +
                "Have a DBA run: GRANT EXECUTE ON SYS.DBMS_LOCK TO <repl user>.", e);
        }
        // ODP.NET hands an output NUMBER back as an int or as an OracleDecimal, whose text is the number.
        var status = Convert.ToInt32(Convert.ToString(result.Value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return status switch
        {
            Granted or AlreadyOwned => true,
            HeldElsewhere => false,
            _ => throw new ReplException($"node {node}: DBMS_LOCK.REQUEST returned {status} (2 deadlock, 3 parameter error, 5 illegal lock handle) while taking the replay lock."),
        };
    }

    /// <inheritdoc/>
    public string SelectChanges(ReplicatedTable table, string node)
    {
        var keys = table.Source.KeyColumns.ToList();
        var first = identifiers.Quote(keys[0].Name);
        return $"""
            SELECT {string.Join(", ", keys.Select(k => ReadExpression("k." + identifiers.Quote(k.Name), k.Type)))}, CASE WHEN t.{first} IS NOT NULL THEN 1 ELSE 0 END AS REPL_PRESENT,
                   {string.Join(", ", table.Source.Columns.Select(c => ReadExpression("t." + identifiers.Quote(c.Name), c.Type)))}
            FROM (SELECT DISTINCT {string.Join(", ", keys.Select(k => "l." + identifiers.Quote(k.Name)))}
                  FROM {identifiers.Quote(table.LogName)} l
                  WHERE NOT EXISTS (SELECT 1 FROM {identifiers.Quote(capture.ProcessedTable(node))} p WHERE p.TXID = l.TXID)) k
            LEFT JOIN {identifiers.Quote(table.Source.Name)} t ON {string.Join(" AND ", keys.Select(k => identifiers.Quote(k.Name)).Select(k => $"t.{k} = k.{k}"))}
            """;
    }

    /// <inheritdoc/>
    public async Task<long> RecordProcessedAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<ReplicatedTable> tables, string node, CancellationToken cancellationToken)
    {
        var logs = tables.Where(t => t.Mode == TableMode.Log).ToList();
        if (logs.Count == 0)
            return 0;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = RecordProcessedSql(logs, node);
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The statement <see cref="RecordProcessedAsync"/> runs for the log-mode <paramref name="logTables"/>: one
    /// INSERT ... SELECT. Under Oracle SERIALIZABLE the SELECT reads the transaction's snapshot (only UPDATE and DELETE
    /// look at current rows), so it records exactly the transactions whose changes the cycle read. DISTINCT: a transaction
    /// appears once per row it logged, and UNION removes duplicates only between two or more logs.
    /// </summary>
    public string RecordProcessedSql(IReadOnlyList<ReplicatedTable> logTables, string node)
    {
        if (logTables.Count == 0)
            throw new ArgumentException("At least one log-mode table is needed.", nameof(logTables));
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var pending = logTables.Select(t =>
            $"SELECT DISTINCT l.TXID FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.TXID = l.TXID)");
        return $"INSERT INTO {processed} (TXID)\n{string.Join("\nUNION\n", pending)}";
    }

    /// <inheritdoc/>
    public string PendingTablesQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        return string.Join("\nUNION ALL\n", tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {i} FROM DUAL WHERE EXISTS (SELECT 1 FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.TXID = l.TXID))")));
    }

    /// <inheritdoc/>
    public string RecordCycleSql(string node) =>
        $"UPDATE {identifiers.Quote(OracleCapture.Nodes)} SET LAST_CYCLE_AT = SYSTIMESTAMP WHERE NAME = {OracleCapture.Literal(node)}";

    /// <inheritdoc/>
    public string PendingQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        return string.Join("\nUNION ALL\n", tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {i}, COUNT(DISTINCT l.TXID), COUNT(*), {Seconds("(SYSTIMESTAMP - MIN(l.LOGGED_AT))")} FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.TXID = l.TXID) HAVING COUNT(*) > 0")));
    }

    /// <inheritdoc/>
    public string PendingTransactionsQuery(IReadOnlyList<ReplicatedTable> tables, string node)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tables.Count);
        var processed = identifiers.Quote(capture.ProcessedTable(node));
        var pending = tables.Select(t =>
            $"SELECT l.TXID FROM {identifiers.Quote(t.LogName)} l WHERE NOT EXISTS (SELECT 1 FROM {processed} p WHERE p.TXID = l.TXID)");
        return $"SELECT COUNT(DISTINCT TXID) FROM (\n{string.Join("\nUNION ALL\n", pending)}\n) pending";
    }

    /// <inheritdoc/>
    public string NodesQuery =>
        $"SELECT NAME, CASE WHEN LOADED_AT IS NULL THEN 0 ELSE 1 END, SYS_EXTRACT_UTC(LAST_CYCLE_AT), {Seconds("(SYSTIMESTAMP - LAST_CYCLE_AT)")} " +
        $"FROM {identifiers.Quote(OracleCapture.Nodes)}";

    // An INTERVAL DAY TO SECOND as seconds: Oracle has no EXTRACT(EPOCH ...).
    private static string Seconds(string interval) =>
        $"EXTRACT(DAY FROM {interval}) * 86400 + EXTRACT(HOUR FROM {interval}) * 3600 + EXTRACT(MINUTE FROM {interval}) * 60 + EXTRACT(SECOND FROM {interval})";

    /// <summary>
    /// Oracle has DBMS_ALERT, but kept out for now: a trigger calling DBMS_ALERT.SIGNAL holds the alert's lock until its
    /// transaction commits, which would serialize every writer of the master. The service polls at its interval.
    /// </summary>
    public Task<IChangeSignal?> ListenAsync(DbConnection dedicatedConnection, CancellationToken cancellationToken) =>
        Task.FromResult<IChangeSignal?>(null);

    /// <inheritdoc/>
    public string SelectAll(ReplicatedTable table) =>
        $"SELECT {string.Join(", ", table.Source.Columns.Select(c => ReadExpression(identifiers.Quote(c.Name), c.Type)))} FROM {identifiers.Quote(table.Source.Name)}";

    /// <summary>
    /// How a column is selected so that <see cref="Repl.Schema.Oracle.OracleValues"/> reads it right: ODP.NET drops the
    /// offset of a TIMESTAMP WITH [LOCAL] TIME ZONE, so such a column is selected through SYS_EXTRACT_UTC.
    /// </summary>
    internal static string ReadExpression(string column, CanonicalType type) =>
        type.Kind == CanonicalKind.TimestampTz ? $"SYS_EXTRACT_UTC({column})" : column;
}
