using System.Text;
using Repl.Dialects;
using Repl.Dialects.Oracle;
using Repl.Schema;
using Repl.Schema.Oracle;
using Repl.Tests.Oracle;
using static Repl.Tests.OracleDialect.OracleDialectTables;

namespace Repl.Tests.SnapshotDialect;

// Golden tests: the exact SQL of snapshot mode on an Oracle slave (twin DDL, the DELETE before the load, the array-bound
// INSERT of the load, the view flip, the live-twin query and the DBMS_LOCK blocks) is compared with
// tests/unit/Golden/oracle-snapshot/*.sql, reviewed by eye as Oracle SQL and PL/SQL (no Oracle server exists here).
// After an intended change regenerate them with
//     REPL_UPDATE_GOLDEN=1 dotnet test tests/unit --filter FullyQualifiedName~OracleSnapshotGoldenTests
// then review `git diff tests/unit/Golden` as Oracle SQL before committing.
public sealed class OracleSnapshotGoldenTests
{
    [Fact]
    public void Twins_load_flip_lock_and_live_twin_query_match_the_golden_file()
    {
        var snapshot = new OracleSnapshot(OracleSchema.Dialect);
        var table = AdminUsers();
        var twins = snapshot.Twins(new DbObjectName(null, table.Name.Name));

        Assert.Equal(new DbObjectName(null, "ADMINUSERS_SNAP1"), twins.First);
        Assert.Equal(new DbObjectName(null, "ADMINUSERS_SNAP2"), twins.Second);
        Assert.True(snapshot.FlipCommits);
        GoldenFile.AssertMatches("oracle-snapshot/snapshot.sql", Script(
        [
            ("CreateTable(ADMINUSERS_SNAP1) (repl init)", OracleSchema.Dialect.Ddl.CreateTable(table, twins.First)),
            ("CreateTable(ADMINUSERS_SNAP2) (repl init)", OracleSchema.Dialect.Ddl.CreateTable(table, twins.Second)),
            ("OracleSnapshot.LockSql (TryLockAsync, before the load transaction)", [OracleSnapshot.LockSql]),
            ("OracleSnapshot.LiveTwinSql (LiveTwinAsync)", [OracleSnapshot.LiveTwinSql]),
            ("Clear(twin 2)", snapshot.Clear(twins, 2)),
            ("OracleBulkLoad.InsertSql(ADMINUSERS_SNAP2), array-bound", [new OracleBulkLoad(OracleSchema.Dialect).InsertSql(table, twins.Second)]),
            ("Flip(twin 2), after the load committed", snapshot.Flip(table, twins, 2)),
            ("OracleSnapshot.UnlockSql (UnlockAsync)", [OracleSnapshot.UnlockSql]),
        ]));
    }

    [Fact]
    public void Hostile_names_are_quoted_in_every_statement_and_match_the_golden_file()
    {
        var snapshot = new OracleSnapshot(OracleSchema.Dialect);
        var table = Hostile();
        var twins = snapshot.Twins(new DbObjectName("REPLICA", table.Name.Name));

        GoldenFile.AssertMatches("oracle-snapshot/hostile.sql", Script(
        [
            ("Clear(twin 1)", snapshot.Clear(twins, 1)),
            ("Flip(twin 1)", snapshot.Flip(table, twins, 1)),
        ]));
    }

    [Fact]
    public void Twin_names_fit_30_bytes_on_oracle_before_12_2_and_match_the_golden_file()
    {
        var oracle11 = OracleSchema.Create(30);
        var snapshot = new OracleSnapshot(oracle11);
        var table = TableDefinition.Create(new DbObjectName("SALES", "CUSTOMER_ORDER_LINE_ARCHIVE"),
            [Col("ORDER_NUMBER", new(CanonicalKind.Int64)), Col("NOTE", new(CanonicalKind.VarChar, Length: 30), nullable: true)],
            new KeyDefinition("CUSTOMER_ORDER_LINE_ARCHIVE_PK", ["ORDER_NUMBER"]), [], []);
        var twins = snapshot.Twins(new DbObjectName(null, table.Name.Name));

        var sql = Script(
        [
            ("CreateTable(twin 1)", oracle11.Ddl.CreateTable(table, twins.First)),
            ("CreateTable(twin 2)", oracle11.Ddl.CreateTable(table, twins.Second)),
            ("Flip(twin 2)", snapshot.Flip(table, twins, 2)),
        ]);

        Assert.NotEqual(twins.First, twins.Second);
        var identifiers = sql.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal))
            .SelectMany(l => l.Split('"').Where((_, i) => i % 2 == 1));
        Assert.All(identifiers, name => Assert.True(Encoding.UTF8.GetByteCount(name) <= 30, name));
        GoldenFile.AssertMatches("oracle-snapshot/long_names_30.sql", sql);
    }

    /// <summary>The book's AdminUsers as an Oracle catalog reads it.</summary>
    private static TableDefinition AdminUsers() => TableDefinition.Create(new DbObjectName("NEWS", "ADMINUSERS"),
        [
            Col("USERID", new(CanonicalKind.Int32)),
            Col("USERNAME", new(CanonicalKind.VarChar, Length: 32)),
            Col("PASSWORD", new(CanonicalKind.VarChar, Length: 80)),
            Col("EMAILADDRESS", new(CanonicalKind.VarChar, Length: 255)),
        ],
        new KeyDefinition("ADMINUSERS_PK", ["USERID"]), [new KeyDefinition("ADMINUSERS_UK", ["USERNAME"])], []);
}
