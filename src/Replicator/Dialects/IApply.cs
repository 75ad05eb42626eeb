using System.Data.Common;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// One changed key as read from the master: <see cref="Present"/> false means the row is gone (delete);
/// otherwise <see cref="Values"/> is the master's current row in table column order. Values are canonical CLR values
/// (see <see cref="IValueCodec"/>); for a deleted key only the key positions are filled.
/// </summary>
internal readonly record struct ChangeRow(bool Present, object?[] Values);

/// <summary>
/// Slave side: the generated apply routine of a table and the set-based applier that feeds it. Applying a batch makes
/// every key in it match the master: gone keys deleted, present rows written (delete + insert, or overwritten in place
/// after whatever stands in their way is cleared or deferred to commit), so that unique-value swaps, primary-key
/// changes and delete + re-insert are safe (DESIGN §5).
/// </summary>
internal interface IApply
{
    /// <summary>Statements that create (or replace) the apply routine and its staging objects for one table.</summary>
    IReadOnlyList<string> InstallRoutine(TableDefinition table, DbObjectName target);

    /// <summary>Statements that drop the apply routine and its staging objects (never the table).</summary>
    IReadOnlyList<string> UninstallRoutine(TableDefinition table, DbObjectName target);

    /// <summary>
    /// Whether the apply routine of <paramref name="target"/> exists on the slave, so init can recreate one dropped by
    /// hand. Vendors without a routine to check (SQLite keeps none) answer true.
    /// </summary>
    Task<bool> HasRoutineAsync(DbConnection connection, DbObjectName target, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Opens an applier for one table inside the slave transaction of the cycle.</summary>
    Task<IChangeApplier> OpenAsync(DbConnection connection, DbTransaction transaction, TableDefinition table, DbObjectName target,
        CancellationToken cancellationToken);
}

/// <summary>Applies batches of changed rows for one table, set-based: one or a few round trips per batch.</summary>
internal interface IChangeApplier : IAsyncDisposable
{
    /// <summary>Applies one batch: gone keys deleted, present rows written.</summary>
    Task ApplyAsync(IReadOnlyList<ChangeRow> batch, CancellationToken cancellationToken);
}
