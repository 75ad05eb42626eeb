using Repl.Dialects.Oracle;
using Repl.Schema.Oracle;
using Repl.Tests.Oracle;
using static Repl.Tests.OracleDialect.OracleDialectTables;

namespace Repl.Tests.OracleDialect;

// Golden test of the Oracle purge SQL (see OracleDialectGoldenTests for how to regenerate and review).
public sealed class OraclePurgeGoldenTests
{
    [Fact]
    public void Purge_lock_and_batched_deletes_match_the_golden_file()
    {
        var purge = new OraclePurge(OracleSchema.Dialect, Capture());
        var revisions = Describe(ArticleRevisions());
        var hostile = Describe(Hostile());

        GoldenFile.AssertMatches("oracle-dialect/purge.sql", Script(
        [
            ("LockSql (TryLockAsync)", [OraclePurge.LockSql]),
            ("UnlockSql (UnlockAsync)", [OraclePurge.UnlockSql]),
            ("DescribeLog(ArticleRevisions, [pg1, Zürich's replica], 5000)", purge.DescribeLog(revisions, ["pg1", "Zürich's replica"], 5000)),
            ("DescribeLog(hostile, [], 10)", purge.DescribeLog(hostile, [], 10)),
            ("DescribeProcessed(pg1, [ArticleRevisions, hostile], 5000)", purge.DescribeProcessed("pg1", [revisions, hostile], 5000)),
        ]));
    }
}
