using Repl.Dialects;
using Repl.Schema;

namespace Repl.Engine;

/// <summary>
/// How a master table differs from what init recorded. Columns appended at the end are applied by init (added on the
/// slaves, table copied again); anything else — a dropped, renamed, retyped or reordered column, a changed NOT NULL —
/// is refused with a message naming the table and column, never applied silently.
/// </summary>
internal sealed record SchemaDrift(IReadOnlyList<ColumnDefinition> AddedColumns, string? Refusal)
{
    /// <summary>No difference (or nothing recorded yet).</summary>
    public static SchemaDrift None { get; } = new([], null);

    /// <summary>Compares the table's current columns with the recorded signature.</summary>
    public static SchemaDrift Compare(ReplicatedTable table, string? recordedSignature)
    {
        if (recordedSignature is null)
            return None;
        var recorded = ColumnSignature.Parse(recordedSignature);
        var current = table.Source.Columns;
        for (var i = 0; i < recorded.Count; i++)
        {
            var was = recorded[i];
            if (i < current.Count && ColumnSignature.Line(was) == ColumnSignature.Line(current[i]))
                continue;
            var now = current.FirstOrDefault(c => c.Name == was.Name);
            if (now is null)
            {
                var inItsPlace = i < current.Count && !recorded.Any(r => r.Name == current[i].Name) ? current[i] : null;
                return Refuse(table, inItsPlace is null
                    ? $"column \"{was.Name}\" ({Type(was)}) was dropped"
                    : $"column \"{was.Name}\" ({Type(was)}) was renamed to \"{inItsPlace.Name}\" ({Type(inItsPlace)}), or dropped and replaced");
            }
            if (ColumnSignature.Line(now) == ColumnSignature.Line(was))
                return Refuse(table, $"column \"{was.Name}\" moved from position {i + 1} to {IndexOf(current, now) + 1}");
            // A parsed column keeps its recorded type text in NativeType.
            if (now.Type.ToString() != was.NativeType)
                return Refuse(table, $"column \"{was.Name}\" changed type from {was.NativeType} to {now.Type} ({now.NativeType})");
            return Refuse(table, $"column \"{was.Name}\" became {(now.IsNullable ? "nullable" : "NOT NULL")}");
        }
        return new SchemaDrift(current.Skip(recorded.Count).ToList(), null);
    }

    private static SchemaDrift Refuse(ReplicatedTable table, string what) => new([],
        $"table {table.Source.Name}: {what} on the master since repl init. repl applies only columns added at the end; " +
        "change the slave tables to match by hand and run repl resync for this table, or run repl uninstall and repl init again.");

    private static string Type(ColumnDefinition column) => ColumnSignature.Line(column)[(column.Name.Length + 1)..];

    private static int IndexOf(IReadOnlyList<ColumnDefinition> columns, ColumnDefinition column)
    {
        for (var i = 0; i < columns.Count; i++)
            if (columns[i].Name == column.Name)
                return i;
        return -1;
    }
}
