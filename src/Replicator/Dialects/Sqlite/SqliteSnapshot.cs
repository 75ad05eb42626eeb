using System.Data.Common;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.Sqlite;

/// <summary>
/// Snapshot mode on a SQLite slave (sql/triggers/sqlite/snapshot_*.sql): the twin is emptied and loaded, and the view
/// dropped and created again, in ONE write transaction. The live twin is read from the view's text in sqlite_master.
/// </summary>
/// <remarks>
/// SQLite has no advisory locks and needs none here: the load transaction begins with BEGIN IMMEDIATE (Microsoft.Data.Sqlite's
/// default), which takes the database's only write lock, and repl reads the live twin inside it. A second snapshot of
/// the table therefore waits (busy_timeout) until the first commits, then loads the other twin.
/// </remarks>
internal sealed class SqliteSnapshot(SchemaDialect schema) : ISnapshotFlip
{
    /// <summary>The text of the view, as sqlite_master keeps it; no row when there is no such view.</summary>
    public const string LiveTwinSql = "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = $view";

    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <inheritdoc/>
    public bool ClearCommits => false;

    /// <inheritdoc/>
    public bool ClearTruncatesInTransaction => false;

    /// <inheritdoc/>
    public bool FlipCommits => false;

    /// <inheritdoc/>
    public SnapshotTwins Twins(DbObjectName view) => new(view,
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "snap1")),
        new DbObjectName(view.Schema, identifiers.Derive(view.Name, "snap2")));

    /// <inheritdoc/>
    public IReadOnlyList<string> Clear(SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("sqlite/snapshot_clear.sql", new Dictionary<string, string> { ["twin"] = identifiers.Quote(twins.Twin(twin)) });

    /// <inheritdoc/>
    public IReadOnlyList<string> Flip(TableDefinition table, SnapshotTwins twins, int twin) =>
        SqlTemplate.Render("sqlite/snapshot_flip.sql", new Dictionary<string, string>
        {
            ["view"] = identifiers.Quote(twins.View),
            // A view lives in the schema of the tables it reads; its FROM names the twin unqualified.
            ["twin"] = identifiers.Quote(twins.Twin(twin).Name),
            ["columns"] = string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name))),
        });

    /// <inheritdoc/>
    public async Task<int?> LiveTwinAsync(DbConnection connection, DbTransaction? transaction, SnapshotTwins twins,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = twins.View.Schema is { } attached
            ? LiveTwinSql.Replace("sqlite_master", identifiers.Quote(attached) + ".sqlite_master", StringComparison.Ordinal)
            : LiveTwinSql;
        var view = command.CreateParameter();
        view.ParameterName = "$view";
        view.Value = twins.View.Name;
        command.Parameters.Add(view);
        if (await command.ExecuteScalarAsync(cancellationToken) is not string text)
            return null;
        return SnapshotTwins.Which(twin => text.EndsWith(" FROM " + identifiers.Quote(twin.Name), StringComparison.Ordinal), twins);
    }

    /// <inheritdoc/>
    public Task<bool> TryLockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <inheritdoc/>
    public Task UnlockAsync(DbConnection connection, SnapshotTwins twins, CancellationToken cancellationToken) => Task.CompletedTask;
}
