using Repl.Schema;

namespace Repl.Configuration;

/// <summary>How a table reaches the slaves.</summary>
internal enum TableMode
{
    /// <summary>Changes are captured by triggers and replayed every cycle (config: log).</summary>
    Log,

    /// <summary>The whole table is copied by <c>repl snapshot</c> into twin tables behind a view (config: snapshot).</summary>
    Snapshot,
}

/// <summary>A replicated table as named in the config; it is matched against the master catalog later.</summary>
internal sealed record TableConfig(DbObjectName Name, TableMode Mode);
