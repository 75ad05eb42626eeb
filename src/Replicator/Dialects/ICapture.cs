using System.Data.Common;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// Master side, DDL: the objects repl installs on a master of one vendor. Every method returns statements in order,
/// each runnable on its own (no client-side delimiters), rendered from the DBA-readable templates in sql/triggers/.
/// Install statements are idempotent (IF NOT EXISTS / OR REPLACE), so a second init changes nothing.
/// </summary>
internal interface ICapture
{
    /// <summary>
    /// The capture to install on <paramref name="master"/>: this one, except on a PostgreSQL master whose database has
    /// the repl_capture extension, where the row triggers call its C function (ext/postgresql) instead of PL/pgSQL ones.
    /// </summary>
    Task<ICapture> ForMasterAsync(DbConnection master, CancellationToken cancellationToken) => Task.FromResult(this);

    /// <summary>
    /// Of <paramref name="installed"/> (tables whose capture init installed), those whose capture init must install
    /// again: Missing when their triggers are gone (changes since then were not captured), otherwise because the
    /// triggers call other routines than this capture would install (on PostgreSQL, PL/pgSQL functions once the
    /// repl_capture extension is there, its C function once it is gone). None on other vendors.
    /// </summary>
    Task<IReadOnlyList<(ReplicatedTable Table, bool Missing)>> TriggersToReinstallAsync(DbConnection master,
        IReadOnlyList<ReplicatedTable> installed, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(ReplicatedTable, bool)>>([]);

    /// <summary>Names the objects repl generates on this master for <paramref name="source"/> (log table, triggers).</summary>
    ReplicatedTable Describe(TableDefinition source, TableMode mode);

    /// <summary>The repl schema (where the vendor has schemas), node registry and table registry.</summary>
    IReadOnlyList<string> InstallBase();

    /// <summary>The change log of one table and the AFTER INSERT/UPDATE/DELETE triggers that fill it.</summary>
    IReadOnlyList<string> InstallTable(ReplicatedTable table);

    /// <summary>The processed-transaction table of one node and its row in the node registry.</summary>
    IReadOnlyList<string> InstallNode(string node, Vendor provider);

    /// <summary>Drops the triggers, trigger routines and change log of one table; never touches the table itself.</summary>
    IReadOnlyList<string> UninstallTable(ReplicatedTable table);

    /// <summary>Drops the processed-transaction table of one node and its registry row.</summary>
    IReadOnlyList<string> UninstallNode(string node);

    /// <summary>Drops the registries and the repl schema (run after every table and node is uninstalled).</summary>
    IReadOnlyList<string> UninstallBase();

    /// <summary>Query: one row, one column, true (or 1) when the registries exist on this master.</summary>
    string RegistryExistsQuery { get; }

    /// <summary>
    /// Query: one row, one column, true (or 1) when the existing registries have every column this version uses; false
    /// when an earlier repl created them and <see cref="UpgradeBase"/> must run.
    /// </summary>
    string RegistryCurrentQuery { get; }

    /// <summary>Adds to registries created by an earlier repl the columns this version uses; idempotent.</summary>
    IReadOnlyList<string> UpgradeBase();

    /// <summary>Query: <c>source_schema, source_table, columns</c> for every registered table.</summary>
    string RegisteredTablesQuery { get; }

    /// <summary>Query: <c>name, loaded</c> (true or 1 once the initial load committed) for every registered node.</summary>
    string RegisteredNodesQuery { get; }

    /// <summary>Records that the initial load of <paramref name="node"/> committed.</summary>
    IReadOnlyList<string> MarkLoaded(string node);

    /// <summary>Raw name of the processed-transaction table of <paramref name="node"/>.</summary>
    DbObjectName ProcessedTable(string node);
}
