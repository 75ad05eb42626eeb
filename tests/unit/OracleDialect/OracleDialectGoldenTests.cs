using System.Text;
using Repl.Dialects.Oracle;
using Repl.Schema;
using Repl.Schema.Oracle;
using Repl.Tests.Oracle;
using static Repl.Tests.OracleDialect.OracleDialectTables;

namespace Repl.Tests.OracleDialect;

// Golden tests: the exact SQL the Oracle dialect generates (master capture objects, replay queries, slave apply routine
// and bulk inserts) is compared with tests/unit/Golden/oracle-dialect/*.sql, reviewed by eye as Oracle SQL and PL/SQL
// (no Oracle server exists here). After an intended change regenerate them with
//     REPL_UPDATE_GOLDEN=1 dotnet test tests/unit --filter FullyQualifiedName~OracleDialectGoldenTests
// then review `git diff tests/unit/Golden` as Oracle SQL before committing.
public sealed class OracleDialectGoldenTests
{
    [Fact]
    public void Base_install_uninstall_and_registry_sql_match_the_golden_file()
    {
        var capture = Capture();

        GoldenFile.AssertMatches("oracle-dialect/base.sql", Script(
        [
            ("InstallBase", capture.InstallBase()),
            ("UpgradeBase", capture.UpgradeBase()),
            ("RegistryCurrentQuery", [capture.RegistryCurrentQuery]),
            ("RegistryExistsQuery", [capture.RegistryExistsQuery]),
            ("RegisteredTablesQuery", [capture.RegisteredTablesQuery]),
            ("RegisteredNodesQuery", [capture.RegisteredNodesQuery]),
            ("MarkLoaded(\"pg1\")", capture.MarkLoaded("pg1")),
            ("UninstallBase", capture.UninstallBase()),
        ]));
    }

    [Fact]
    public void Capture_of_a_composite_key_table_matches_the_golden_file()
    {
        var table = Describe(ArticleRevisions());

        GoldenFile.AssertMatches("oracle-dialect/capture_article_revisions.sql", Script(
        [
            ("InstallTable", Capture().InstallTable(table)),
            ("UninstallTable", Capture().UninstallTable(table)),
        ]));
    }

    [Fact]
    public void Capture_of_a_hostile_named_table_matches_the_golden_file()
    {
        var table = Describe(Hostile());

        GoldenFile.AssertMatches("oracle-dialect/capture_hostile.sql", Script(
        [
            ("InstallTable", Capture().InstallTable(table)),
            ("UninstallTable", Capture().UninstallTable(table)),
        ]));
    }

    [Fact]
    public void Node_install_and_uninstall_match_the_golden_file()
    {
        var capture = Capture();

        GoldenFile.AssertMatches("oracle-dialect/node.sql", Script(
        [
            ("InstallNode(\"pg1\", PostgreSql)", capture.InstallNode("pg1", Vendor.PostgreSql)),
            ("UninstallNode(\"pg1\")", capture.UninstallNode("pg1")),
            ("InstallNode(\"Zürich's replica\", Sqlite)", capture.InstallNode("Zürich's replica", Vendor.Sqlite)),
        ]));
    }

    [Fact]
    public void Replay_queries_of_the_master_match_the_golden_file()
    {
        var master = Master();
        var revisions = Describe(ArticleRevisions());
        var hostile = Describe(Hostile());

        GoldenFile.AssertMatches("oracle-dialect/master_queries.sql", Script(
        [
            ("OracleMaster.LockSql (TryLockNodeAsync)", [OracleMaster.LockSql]),
            ("SelectChanges(ArticleRevisions, \"pg1\")", [master.SelectChanges(revisions, "pg1")]),
            ("SelectChanges(hostile, \"pg1\")", [master.SelectChanges(hostile, "pg1")]),
            ("RecordProcessedSql([ArticleRevisions, hostile], \"pg1\")", [master.RecordProcessedSql([revisions, hostile], "pg1")]),
            ("SelectAll(ArticleRevisions)", [master.SelectAll(revisions)]),
            ("SelectAll(hostile)", [master.SelectAll(hostile)]),
            ("PendingTablesQuery([ArticleRevisions, hostile], \"pg1\")", [master.PendingTablesQuery([revisions, hostile], "pg1")]),
            ("RecordCycleSql(\"pg1\")", [master.RecordCycleSql("pg1")]),
            ("PendingQuery([ArticleRevisions, hostile], \"pg1\") (status)", [master.PendingQuery([revisions, hostile], "pg1")]),
            ("NodesQuery (status)", [master.NodesQuery]),
        ]));
    }

    [Fact]
    public void Apply_routine_stage_and_bulk_insert_match_the_golden_file()
    {
        var apply = new OracleApply(OracleSchema.Dialect);
        var bulk = new OracleBulkLoad(OracleSchema.Dialect);
        var table = AllKinds();
        var target = new DbObjectName(null, "all_kinds");
        var hostile = Hostile();
        var hostileTarget = new DbObjectName("REPLICA", hostile.Name.Name);

        GoldenFile.AssertMatches("oracle-dialect/apply.sql", Script(
        [
            ("InstallRoutine(all_kinds)", apply.InstallRoutine(table, target)),
            ("StageInsertSql(all_kinds), array-bound", [apply.StageInsertSql(table, target)]),
            ("CallSql(all_kinds)", [apply.CallSql(target)]),
            ("UninstallRoutine(all_kinds)", apply.UninstallRoutine(table, target)),
            ("OracleBulkLoad.InsertSql(all_kinds), array-bound", [bulk.InsertSql(table, target)]),
            ("InstallRoutine(hostile)", apply.InstallRoutine(hostile, hostileTarget)),
            ("StageInsertSql(hostile), array-bound", [apply.StageInsertSql(hostile, hostileTarget)]),
            ("CallSql(hostile)", [apply.CallSql(hostileTarget)]),
        ]));
    }

    [Fact]
    public void Generated_names_fit_30_bytes_on_oracle_before_12_2_and_match_the_golden_file()
    {
        var oracle11 = OracleSchema.Create(30);
        var table = TableDefinition.Create(new DbObjectName("SALES", "CUSTOMER_ORDER_LINES"),
            [
                Col("ORDER_NUMBER", new(CanonicalKind.Int64)),
                Col("LINE_NUMBER", new(CanonicalKind.Int32)),
                Col("PRODUCT_CODE", new(CanonicalKind.VarChar, Length: 30)),
            ],
            new KeyDefinition("CUSTOMER_ORDER_LINES_PK", ["ORDER_NUMBER", "LINE_NUMBER"]), [], []);
        var capture = Capture(oracle11);
        var described = capture.Describe(table, Repl.Configuration.TableMode.Log);
        var apply = new OracleApply(oracle11);
        var target = new DbObjectName(null, table.Name.Name);
        const string node = "frankfurt_reporting_replica";

        var sql = Script(
        [
            ("InstallTable", capture.InstallTable(described)),
            ($"InstallNode(\"{node}\", PostgreSql)", capture.InstallNode(node, Vendor.PostgreSql)),
            ("InstallRoutine", apply.InstallRoutine(table, target)),
            ("SelectChanges", [Master(oracle11).SelectChanges(described, node)]),
        ]);

        var identifiers = sql.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal))
            .SelectMany(l => l.Split('"').Where((_, i) => i % 2 == 1));
        Assert.All(identifiers, name => Assert.True(Encoding.UTF8.GetByteCount(name) <= 30, name));
        Assert.All(identifiers.Where(n => n.StartsWith("REPL_", StringComparison.Ordinal)), name => Assert.Equal(name.ToUpperInvariant(), name));
        GoldenFile.AssertMatches("oracle-dialect/long_names_30.sql", sql);
    }
}
