using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.MySql;

/// <summary>
/// Snapshot mode on a MariaDB slave (sql/triggers/mysql/snapshot_*.sql): the twin is emptied and loaded in one
/// transaction that commits, then the view is replaced last, alone, because CREATE VIEW commits implicitly. The live twin
/// is read from the view's definition in information_schema; the lock is GET_LOCK, named after the database and view
/// because GET_LOCK names are server-wide.
/// </summary>
internal sealed class MySqlSnapshot(SchemaDialect schema) : ISnapshotFlip
{
    /// <summary>The view's definition as MariaDB normalises it, and the database it is in; no row when there is no such view.</summary>
    public const string LiveTwinSql = """
        SELECT VIEW_DEFINITION, TABLE_SCHEMA FROM information_schema.VIEWS
        WHERE TABLE_SCHEMA = COALESCE(@schema, DATABASE()) AND TABLE_NAME = @view
        """;

    /// <summary>Takes the snapshot lock of one view without waiting: 1 granted, 0 held by another session.</summary>
    public const string LockSql = "SELECT GET_LOCK(CONCAT('repl.snapshot.', SHA1(CONCAT(COALESCE(@schema, DATABASE()), '.', @view))), 0)";

    /// <summary>Releases the lock taken by <see cref="LockSql"/>.</summary>
    public const string UnlockSql = "SELECT RELEASE_LOCK(CONCAT('repl.snapshot.', SHA1(CONCAT(COALESCE(@schema, DATABASE()), '.', @view))))";

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public bool ClearCommits => true;

    /// <inheritdoc/>
    public bool ClearTruncatesInTransaction => false;

    /// <inheritdoc/>
    public bool FlipCommits => true;

    /// <inheritdoc/>
    public SnapshotTwins Twins(DbObjectName view) => new(view,
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "snap1")),
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "snap2")));

    /// <inheritdoc/>
    public IReadOnlyList<string> Clear(SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("mysql/snapshot_clear.sql", new Dictionary<string, string> { ["twin"] = identifiers.Quote(twins.Twin(twin)) });

    /// <inheritdoc/>
    public IReadOnlyList<string> Flip(TableDefinition table, SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("mysql/snapshot_flip.sql", new Dictionary<string, string>
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
        command.Transaction = (MySqlTransaction?)transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var definition = reader.GetString(0);
        var database = reader.GetString(1);
        // MariaDB stores "select ... from `db`.`twin`": the FROM clause is last, every name in it qualified and quoted.
        return SnapshotTwins.Which(twin => definition.EndsWith(" from " + identifiers.Quote(new DbObjectName(database, twin.Name)), StringComparison.Ordinal), twins);
    }

    /// <inheritdoc/>
    public async Task<bool> TryLockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken)
    {
        await using var command = Command(LockSql, connection, twins);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    /// <inheritdoc/>
    public async Task UnlockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken)
    {
        await using var command = Command(UnlockSql, connection, twins);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static MySqlCommand Command(string sql, DbConnection connection, SnapshotTwins twins)
    {
        var command = new MySqlCommand(sql, connection as MySqlConnection
            ?? throw new ArgumentException($"A MariaDB slave needs a MySqlConnection, not {connection.GetType().Name}.", nameof(connection)));
        command.Parameters.AddWithValue("@schema", twins.View.Schema);
        command.Parameters.AddWithValue("@view", twins.View.Name);
        return command;
    }
}
