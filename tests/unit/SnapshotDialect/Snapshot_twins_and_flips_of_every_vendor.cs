using System.Text;
using Repl.Dialects;
using Repl.Schema;

namespace Repl.Tests.SnapshotDialect;

/// <summary>The names and statements every vendor's <see cref="ISnapshotFlip"/> generates, checked without a server.</summary>
public sealed class Snapshot_twins_and_flips_of_every_vendor
{
    public static TheoryData<Vendor> Vendors => [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite, Vendor.Oracle];

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Twins_of_a_name_at_the_identifier_limit_are_shortened_distinct_and_fit(Vendor vendor)
    {
        var dialect = VendorDialects.For(vendor);
        var limit = dialect.Schema.Identifiers.MaxLength;
        var view = new DbObjectName(null, new string('t', limit));

        var twins = dialect.Snapshot.Twins(view);

        Assert.NotEqual(twins.First, twins.Second);
        Assert.All(new[] { twins.First.Name, twins.Second.Name }, name =>
        {
            Assert.True(Measure(name, dialect.Schema.Identifiers.LengthUnit) <= limit, name);
            Assert.NotEqual(view.Name, name);
        });
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void The_flip_reads_every_column_in_table_order_from_the_chosen_twin(Vendor vendor)
    {
        var dialect = VendorDialects.For(vendor);
        var q = dialect.Schema.Identifiers;
        var table = TableDefinition.Create(new DbObjectName(null, "AdminUsers"),
            [new("UserID", new(CanonicalKind.Int32), false, false, "int"), new("it's a `col`", new(CanonicalKind.Text), true, false, "text")],
            new KeyDefinition(null, ["UserID"]), [], []);
        var twins = dialect.Snapshot.Twins(new DbObjectName(null, "AdminUsers"));

        var flip = string.Join("\n", dialect.Snapshot.Flip(table, twins, 2));

        Assert.Contains($"VIEW {q.Quote(twins.View)} AS SELECT {q.Quote("UserID")}, {q.Quote("it's a `col`")} FROM {q.Quote(twins.Second.Name)}", flip, StringComparison.Ordinal);
        Assert.DoesNotContain(q.Quote(twins.First.Name), flip, StringComparison.Ordinal);
        var clear = vendor == Vendor.Sqlite ? "DELETE FROM" : vendor == Vendor.PostgreSql ? "TRUNCATE" : "TRUNCATE TABLE";
        Assert.Equal($"{clear} {q.Quote(twins.First)}", Assert.Single(dialect.Snapshot.Clear(twins, 1)));
    }

    [Theory]
    [InlineData(Vendor.PostgreSql, false, true)]
    [InlineData(Vendor.MySql, true, false)]
    [InlineData(Vendor.Sqlite, false, false)]
    [InlineData(Vendor.Oracle, true, false)]
    public void Vendors_whose_truncate_commits_empty_the_twin_before_the_load_transaction(Vendor vendor, bool clearCommits, bool truncatesInTransaction)
    {
        var snapshot = VendorDialects.For(vendor).Snapshot;
        Assert.Equal(clearCommits, snapshot.ClearCommits);
        Assert.Equal(truncatesInTransaction, snapshot.ClearTruncatesInTransaction);
    }

    [Theory]
    [InlineData(Vendor.PostgreSql, false)]
    [InlineData(Vendor.MySql, true)]
    [InlineData(Vendor.Sqlite, false)]
    [InlineData(Vendor.Oracle, true)]
    public void Only_vendors_whose_view_ddl_commits_flip_after_the_load_commits(Vendor vendor, bool flipCommits) =>
        Assert.Equal(flipCommits, VendorDialects.For(vendor).Snapshot.FlipCommits);

    private static int Measure(string name, IdentifierLengthUnit unit) =>
        unit == IdentifierLengthUnit.Utf8Bytes ? Encoding.UTF8.GetByteCount(name) : name.Length;
}
