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
        var recorded = recordedSignature.Split('\n');
        var current = ColumnSignature.Of(table.Source).Split('\n');
        for (var i = 0; i < recorded.Length; i++)
        {
            if (i >= current.Length)
                return Refuse(table, $"column \"{Name(recorded[i])}\" ({recorded[i]}) is gone from the master");
            if (recorded[i] != current[i])
                return Refuse(table, $"column {i + 1} was \"{recorded[i]}\" when repl init ran and is now \"{current[i]}\"");
        }
        return new SchemaDrift(table.Source.Columns.Skip(recorded.Length).ToList(), null);
    }

    private static SchemaDrift Refuse(ReplicatedTable table, string what) => new([],
        $"table {table.Source.Name}: the master's schema changed since repl init ({what}). repl applies only columns added at the end; " +
        "change the slave tables to match by hand and run repl resync for this table, or run repl uninstall and repl init again.");

    private static string Name(string signatureLine) => signatureLine.Split('\t')[0];
}
