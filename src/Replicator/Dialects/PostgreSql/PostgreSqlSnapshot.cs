using System.Data.Common;
using Npgsql;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// Snapshot mode on a PostgreSQL slave: the twin is emptied, loaded with COPY and the view replaced in ONE transaction
/// (sql/triggers/postgresql/snapshot_*.sql); the live twin is read from the view's dependencies in pg_depend, not from
/// its text; the lock is a session advisory lock on the slave database.
/// </summary>
internal sealed class PostgreSqlSnapshot(SchemaDialect schema) : ISnapshotFlip
{
    /// <summary>
    /// 1 or 2 for the twin the view ($1) depends on, 0 for neither, NULL when $1 is not a view. Parameters are the
    /// quoted names of the view and the twins, resolved by to_regclass through the search_path as the DDL is.
    /// </summary>
    public const string LiveTwinSql = """
        SELECT CASE
                 WHEN v.oid IS NULL THEN NULL
                 WHEN EXISTS (SELECT 1 FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                              WHERE r.ev_class = v.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($2)) THEN 1
                 WHEN EXISTS (SELECT 1 FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                              WHERE r.ev_class = v.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($3)) THEN 2
                 ELSE 0
               END
        FROM (SELECT (SELECT c.oid FROM pg_class c WHERE c.oid = to_regclass($1) AND c.relkind = 'v') AS oid) v
        """;

    /// <summary>Takes the snapshot lock of the table named by $1 (advisory locks are per database).</summary>
    public const string LockSql = "SELECT pg_try_advisory_lock(hashtextextended('repl.snapshot.' || $1, 0))";

    /// <summary>Releases the lock taken by <see cref="LockSql"/>.</summary>
    public const string UnlockSql = "SELECT pg_advisory_unlock(hashtextextended('repl.snapshot.' || $1, 0))";

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public bool ClearCommits => false;

    /// <inheritdoc/>
    public bool ClearTruncatesInTransaction => true;

    /// <inheritdoc/>
    public bool FlipCommits => false;

    /// <inheritdoc/>
    public SnapshotTwins Twins(DbObjectName view) => new(view,
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "snap1")),
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "snap2")));

    /// <inheritdoc/>
    public IReadOnlyList<string> Clear(SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("postgresql/snapshot_clear.sql", new Dictionary<string, string> { ["twin"] = identifiers.Quote(twins.Twin(twin)) });

    /// <inheritdoc/>
    public IReadOnlyList<string> Flip(TableDefinition table, SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("postgresql/snapshot_flip.sql", new Dictionary<string, string>
        {
            ["view"] = identifiers.Quote(twins.View),
            ["twin"] = identifiers.Quote(twins.Twin(twin)),
            ["columns"] = string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name))),
        });

    /// <inheritdoc/>
    public async Task<int?> LiveTwinAsync(DbConnection connection, DbTransaction? transaction, SnapshotTwins twins,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LiveTwinSql, PostgreSqlBulkLoad.Npgsql(connection, twins.View), (NpgsqlTransaction?)transaction);
        command.Parameters.AddWithValue(identifiers.Quote(twins.View));
        command.Parameters.AddWithValue(identifiers.Quote(twins.First));
        command.Parameters.AddWithValue(identifiers.Quote(twins.Second));
        return await command.ExecuteScalarAsync(cancellationToken) is int twin ? twin : null;
    }

    /// <inheritdoc/>
    public Task<bool> TryLockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken) =>
        LockCallAsync(LockSql, connection, twins, cancellationToken);

    /// <inheritdoc/>
    public Task UnlockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken) =>
        LockCallAsync(UnlockSql, connection, twins, cancellationToken);

    private static async Task<bool> LockCallAsync(string sql, DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, PostgreSqlBulkLoad.Npgsql(connection, twins.View));
        command.Parameters.AddWithValue(twins.View.ToString());
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
