using Repl.Configuration;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// A master table as repl replicates it: its definition on the master, the name its copy has on every slave,
/// and the raw names of the objects repl generates for it on the master (log table, trigger routine, triggers).
/// </summary>
/// <param name="Source">The master table as read from the master catalog.</param>
/// <param name="Mode">Log or snapshot replication.</param>
/// <param name="SlaveName">Raw name of the copy on slaves (the master's table name, unqualified).</param>
/// <param name="LogName">Raw name of the change log on the master (e.g. repl.siteusers_log / repl_siteusers_log).</param>
/// <param name="BaseName">Stem derived from the table name (cased as the vendor expects its generated names), used for every generated name of this table.</param>
internal sealed record ReplicatedTable(TableDefinition Source, TableMode Mode, DbObjectName SlaveName, DbObjectName LogName, string BaseName);
