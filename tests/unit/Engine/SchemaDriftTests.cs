using Repl.Configuration;
using Repl.Dialects;
using Repl.Engine;
using Repl.Schema;

namespace Repl.Tests.Engine;

/// <summary>The recorded column signature reads back exactly, and every kind of drift is told apart in words.</summary>
public sealed class SchemaDriftTests
{
    private static readonly ColumnDefinition Id = new("id", new CanonicalType(CanonicalKind.Int32), false, false, "integer");

    [Fact]
    public void Every_canonical_type_and_facet_reads_back_to_the_same_signature()
    {
        var types = new List<CanonicalType>
        {
            new(CanonicalKind.Decimal), new(CanonicalKind.Decimal, Precision: 12), new(CanonicalKind.Decimal, Precision: 12, Scale: 2),
            new(CanonicalKind.VarChar, Length: 200), new(CanonicalKind.Char, Length: 3), new(CanonicalKind.Binary), new(CanonicalKind.Binary, Length: 16),
            new(CanonicalKind.Timestamp, Precision: 6), new(CanonicalKind.TimestampTz), new(CanonicalKind.Time, Precision: 0),
        };
        types.AddRange(Enum.GetValues<CanonicalKind>().Select(k => new CanonicalType(k)));
        var columns = types.Select((t, i) => new ColumnDefinition($"c{i}\twith tab", t, i % 2 == 0, false, "native")).Prepend(Id).ToList();
        var signature = ColumnSignature.Of(Table(columns));

        var parsed = ColumnSignature.Parse(signature);

        Assert.Equal(signature, string.Join('\n', parsed.Select(ColumnSignature.Line)));
        Assert.Equal(columns.Select(c => c.Name), parsed.Select(c => c.Name));
    }

    [Fact]
    public void A_column_appended_at_the_end_is_an_addition_not_a_refusal()
    {
        var recorded = ColumnSignature.Of(Table([Id, Text("note")]));

        var drift = SchemaDrift.Compare(Replicated([Id, Text("note"), Text("region")]), recorded);

        Assert.Null(drift.Refusal);
        Assert.Equal(["region"], drift.AddedColumns.Select(c => c.Name));
    }

    [Theory]
    [InlineData("dropped", "column \"a\" (text) was dropped")]
    [InlineData("renamed", "column \"a\" (text) was renamed to \"z\" (text), or dropped and replaced")]
    [InlineData("moved", "column \"a\" moved from position 2 to 3")]
    [InlineData("retyped", "column \"a\" changed type from text to varchar(5) (native)")]
    [InlineData("not null", "column \"a\" became NOT NULL")]
    public void Other_drift_is_refused_naming_table_and_column(string change, string expected)
    {
        var recorded = ColumnSignature.Of(Table([Id, Text("a"), Text("b")]));
        IReadOnlyList<ColumnDefinition> now = change switch
        {
            "dropped" => [Id, Text("b")],
            "renamed" => [Id, Text("z"), Text("b")],
            "moved" => [Id, Text("b"), Text("a")],
            "retyped" => [Id, Text("a") with { Type = new CanonicalType(CanonicalKind.VarChar, Length: 5) }, Text("b")],
            _ => [Id, Text("a") with { IsNullable = false }, Text("b")],
        };

        var drift = SchemaDrift.Compare(Replicated(now), recorded);

        Assert.Empty(drift.AddedColumns);
        Assert.StartsWith($"table public.t: {expected} on the master since repl init.", drift.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_table_stands_in_for_one_that_is_gone_with_its_recorded_columns()
    {
        var table = ColumnSignature.Recorded(new DbObjectName("public", "gone"), ColumnSignature.Of(Table([Id, Text("a")])));

        Assert.Equal(new DbObjectName("public", "gone"), table.Name);
        Assert.Equal(["id", "a"], table.Columns.Select(c => c.Name));
    }

    private static ColumnDefinition Text(string name) => new(name, new CanonicalType(CanonicalKind.Text), true, false, "native");

    private static TableDefinition Table(IReadOnlyList<ColumnDefinition> columns) =>
        TableDefinition.Create(new DbObjectName("public", "t"), columns, new KeyDefinition("t_pkey", ["id"]), [], []);

    private static ReplicatedTable Replicated(IReadOnlyList<ColumnDefinition> columns) =>
        new(Table(columns), TableMode.Log, new DbObjectName(null, "t"), new DbObjectName("repl", "t_log"), "t");
}
