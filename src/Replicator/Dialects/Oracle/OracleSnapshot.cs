using System.Data;
using System.Data.Common;
using System.Globalization;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Snapshot mode on an Oracle slave (sql/triggers/oracle/snapshot_*.sql): the twin is emptied and loaded in one
/// transaction that commits, then the view is replaced last, alone, because DDL commits. The live twin is read from
/// ALL_DEPENDENCIES; the lock is a session-level DBMS_LOCK lock named after the schema and view.
/// Generated and golden-tested; not run against a live Oracle.
/// </summary>
/// <remarks>The repl user needs EXECUTE on SYS.DBMS_LOCK on an Oracle slave too.</remarks>
internal sealed class OracleSnapshot(SchemaDialect schema) : ISnapshotFlip
{
    /// <summary>
    /// The tables the view reads: no row when there is no such view, one row with a NULL name when it reads no table.
    /// Parameters by position: the owner (NULL for the current schema), the view.
    /// </summary>
    public const string LiveTwinSql = """
        SELECT d.REFERENCED_NAME
        FROM ALL_VIEWS v
        LEFT JOIN ALL_DEPENDENCIES d
               ON d.OWNER = v.OWNER AND d.NAME = v.VIEW_NAME AND d.TYPE = 'VIEW'
              AND d.REFERENCED_OWNER = v.OWNER AND d.REFERENCED_TYPE = 'TABLE'
        WHERE v.OWNER = COALESCE(:owner_name, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')) AND v.VIEW_NAME = :view_name
        """;

    /// <summary>
    /// Takes the snapshot lock of one view without waiting: session-level (release_on_commit FALSE), so it covers the
    /// flip after the load's commit. Parameters by position: owner, view (in), the DBMS_LOCK.REQUEST result (out).
    /// </summary>
    /// <remarks>ALLOCATE_UNIQUE commits: repl runs this block before the load transaction begins.</remarks>
    public const string LockSql = $"""
        DECLARE
            v_handle VARCHAR2(128);
        BEGIN
            DBMS_LOCK.ALLOCATE_UNIQUE({LockName}, v_handle);
            :result := DBMS_LOCK.REQUEST(lockhandle => v_handle, lockmode => DBMS_LOCK.X_MODE, timeout => 0, release_on_commit => FALSE);
        END;
        """;

    /// <summary>Releases the lock taken by <see cref="LockSql"/>; same parameters, the result is DBMS_LOCK.RELEASE's.</summary>
    public const string UnlockSql = $"""
        DECLARE
            v_handle VARCHAR2(128);
        BEGIN
            DBMS_LOCK.ALLOCATE_UNIQUE({LockName}, v_handle);
            :result := DBMS_LOCK.RELEASE(v_handle);
        END;
        """;

    // A DBMS_LOCK name is database-wide: the schema keeps two installations apart.
    private const string LockName = "SUBSTRB('repl.snapshot.' || COALESCE(:owner_name, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')) || '.' || :view_name, 1, 128)";

    // DBMS_LOCK.REQUEST results: 0 granted, 1 timeout (another session holds it), 4 this session already holds it.
    private const int Granted = 0;
    private const int HeldElsewhere = 1;
    private const int AlreadyOwned = 4;

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public bool ClearCommits => true;

    /// <inheritdoc/>
    public bool ClearTruncatesInTransaction => false;

    /// <inheritdoc/>
    public bool FlipCommits => true;

    /// <inheritdoc/>
    /// <remarks>The suffix is upper case, as Oracle names usually are: ADMINUSERS_SNAP1.</remarks>
    public SnapshotTwins Twins(DbObjectName view) => new(view,
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "SNAP1")),
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "SNAP2")));

    /// <inheritdoc/>
    public IReadOnlyList<string> Clear(SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("oracle/snapshot_clear.sql", new Dictionary<string, string> { ["twin"] = identifiers.Quote(twins.Twin(twin)) });

    /// <inheritdoc/>
    public IReadOnlyList<string> Flip(TableDefinition table, SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("oracle/snapshot_flip.sql", new Dictionary<string, string>
        {
            ["view"] = identifiers.Quote(twins.View),
            ["twin"] = identifiers.Quote(twins.Twin(twin)),
            ["columns"] = string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name))),
        });

    /// <inheritdoc/>
    public async Task<int?> LiveTwinAsync(DbConnection connection, DbTransaction? transaction, SnapshotTwins twins,
        CancellationToken cancellationToken)
    {
        await using var command = Command(LiveTwinSql, connection, twins);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var read = new List<string>();
        var found = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            found = true;
            if (!await reader.IsDBNullAsync(0, cancellationToken))
                read.Add(reader.GetString(0));
        }
        return found ? SnapshotTwins.Which(twin => read.Contains(twin.Name, StringComparer.Ordinal), twins) : null;
    }

    /// <inheritdoc/>
    public async Task<bool> TryLockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken)
    {
        var status = await LockCallAsync(LockSql, connection, twins, cancellationToken);
        return status switch
        {
            Granted or AlreadyOwned => true,
            HeldElsewhere => false,
            _ => throw new ReplException($"{twins.View}: DBMS_LOCK.REQUEST returned {status} (2 deadlock, 3 parameter error, 5 illegal lock handle) while taking the snapshot lock."),
        };
    }

    /// <inheritdoc/>
    public async Task UnlockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken) =>
        await LockCallAsync(UnlockSql, connection, twins, cancellationToken);

    private static async Task<int> LockCallAsync(string sql, DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, connection, twins);
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
                $"{twins.View}: repl cannot take the snapshot lock on the Oracle slave because its user may not call DBMS_LOCK. " +
                "Have a DBA run: GRANT EXECUTE ON SYS.DBMS_LOCK TO <repl user>.", e);
        }
        // ODP.NET hands an output NUMBER back as an int or as an OracleDecimal, whose text is the number.
        return Convert.ToInt32(Convert.ToString(result.Value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    // ODP.NET binds by position unless told otherwise: :owner_name, then :view_name, in the order they appear.
    private static DbCommand Command(string sql, DbConnection connection, SnapshotTwins twins)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "owner_name", twins.View.Schema);
        Add(command, "view_name", twins.View.Name);
        return command;
    }

    private static void Add(DbCommand command, string name, string? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
