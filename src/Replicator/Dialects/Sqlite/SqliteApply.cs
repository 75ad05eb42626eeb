using System.Data.Common;
using Microsoft.Data.Sqlite;
using Repl.Schema;
using Repl.Templates;

namespace Repl.Dialects.Sqlite;

/// <summary>
/// SQLite slave apply. SQLite has no stored routines, so a table's apply routine is the pair of statements of
/// sqlite/apply.sql (DELETE by key, INSERT of every column), compiled once per cycle inside the cycle's transaction.
/// A batch runs the delete for every key, then the insert (INSERT OR REPLACE) for every row still on the master: SQLite
/// checks UNIQUE constraints row by row and cannot defer them, so deleting first and replacing a row that still holds a
/// unique value (one a later batch of the cycle writes back) is what lets two rows swap a unique value.
/// SQLite runs in process, so a row costs no round trip, only a rebind of the compiled statement.
/// </summary>
internal sealed class SqliteApply(SchemaDialect schema) : IApply
{
    private readonly IIdentifierRules identifiers = schema.Identifiers;

    /// <summary>
    /// None: SQLite has no stored routines, so nothing is installed on the slave. The apply statements are rendered
    /// from sqlite/apply.sql (see <see cref="Statements"/>) and compiled by <see cref="OpenAsync"/> in every cycle.
    /// </summary>
    public IReadOnlyList<string> InstallRoutine(TableDefinition table, DbObjectName target) => [];

    /// <summary>None: <see cref="InstallRoutine"/> installs nothing, so there is nothing to remove.</summary>
    public IReadOnlyList<string> UninstallRoutine(TableDefinition table, DbObjectName target) => [];

    /// <summary>
    /// The apply statements of <paramref name="table"/> written to <paramref name="target"/>, from sqlite/apply.sql:
    /// the DELETE binds the key values in key order, the INSERT binds every column in table order.
    /// </summary>
    public ApplyStatements Statements(TableDefinition table, DbObjectName target)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keyMatch = table.Key.Columns.Select((k, i) => $"{identifiers.Quote(k)} = {SqliteRowCommand.Placeholder(i)}");
        var rendered = SqlTemplate.Render("sqlite/apply.sql", new Dictionary<string, string>
        {
            ["target"] = identifiers.Quote(target),
            ["key_match"] = string.Join(" AND ", keyMatch),
            ["column_list"] = string.Join(", ", table.Columns.Select(c => identifiers.Quote(c.Name))),
            ["parameters"] = string.Join(", ", table.Columns.Select((_, i) => SqliteRowCommand.Placeholder(i))),
        });
        if (rendered.Count != 2)
            throw new InvalidOperationException($"Template sqlite/apply.sql must hold a DELETE and an INSERT, but rendered {rendered.Count} statements.");
        return new ApplyStatements(rendered[0], rendered[1]);
    }

    /// <inheritdoc/>
    public Task<IChangeApplier> OpenAsync(DbConnection connection, DbTransaction transaction, TableDefinition table,
        DbObjectName target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        cancellationToken.ThrowIfCancellationRequested();
        var statements = Statements(table, target);
        var keyPositions = table.Key.Columns.Select(k => RowKey.ColumnIndex(table, k)).ToArray();
        SqliteRowCommand? delete = null, insert = null;
        try
        {
            delete = SqliteRowCommand.Prepare(connection, transaction, statements.Delete, table, target, keyPositions, schema.Values);
            insert = SqliteRowCommand.Prepare(connection, transaction, statements.Insert, table, target,
                [.. Enumerable.Range(0, table.Columns.Count)], schema.Values);
            var applier = new Applier(delete, insert, table, target);
            delete = null;
            insert = null;
            return Task.FromResult<IChangeApplier>(applier);
        }
        finally
        {
            // Only when preparing failed part way: the applier owns both commands otherwise.
            delete?.Dispose();
            insert?.Dispose();
        }
    }

    /// <summary>Deletes every key of a batch, then inserts the rows still present, with the two compiled statements.</summary>
    private sealed class Applier(SqliteRowCommand delete, SqliteRowCommand insert, TableDefinition table, DbObjectName target) : IChangeApplier
    {
        public async Task ApplyAsync(IReadOnlyList<ChangeRow> batch, CancellationToken cancellationToken)
        {
            foreach (var row in batch)
                await delete.ExecuteAsync(row.Values, cancellationToken);
            foreach (var row in batch)
            {
                if (!row.Present)
                    continue;
                try
                {
                    await insert.ExecuteAsync(row.Values, cancellationToken);
                }
                catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
                {
                    // Keys and unique values cannot conflict (deleted, or replaced); what is left is a constraint the master's
                    // table does not have: a CHECK, NOT NULL or foreign key added to the slave table by hand.
                    throw new ReplException(
                        $"The row {RowKey.Describe(table, row.Values)} of table {target} could not be applied on this SQLite slave: " +
                        $"{e.Message}. The slave table has a " +
                        "constraint the master's does not (was it altered by hand?); drop it, or run repl resync for the table.", e);
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            delete.Dispose();
            insert.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The two statements that apply changed rows of one table to a SQLite slave.</summary>
/// <param name="Delete">Deletes the row of one key.</param>
/// <param name="Insert">Inserts one row, every column in table order.</param>
internal sealed record ApplyStatements(string Delete, string Insert);
