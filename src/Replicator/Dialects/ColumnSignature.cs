using System.Globalization;
using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// The column signature init records on the master for each table: one line per column,
/// <c>name</c>, a tab, <c>type [not null]</c>, in table order. Comparing signatures tells a column added at the end (applied to
/// slaves by the next init) from any other drift (reported, never applied silently).
/// </summary>
internal static class ColumnSignature
{
    /// <summary>The signature text of a table.</summary>
    public static string Of(TableDefinition table) =>
        string.Join('\n', table.Columns.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Name}\t{c.Type}{(c.IsNullable ? "" : " not null")}")));
}
