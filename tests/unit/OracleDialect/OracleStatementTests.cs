using System.Text;
using Repl.Configuration;
using Repl.Dialects.Oracle;
using Repl.Schema;
using Repl.Schema.Oracle;
using Repl.Templates;
using static Repl.Tests.OracleDialect.OracleDialectTables;

namespace Repl.Tests.OracleDialect;

public sealed class OracleStatementTests
{
    [Fact]
    public void Literal_doubles_single_quotes_and_keeps_backslashes_and_unicode_as_they_are()
    {
        Assert.Equal("'it''s C:\\temp\\ 😀 表'", OracleCapture.Literal("it's C:\\temp\\ 😀 表"));
    }

    [Fact]
    public void Literal_of_the_empty_string_is_the_empty_literal_which_oracle_reads_as_null()
    {
        Assert.Equal("''", OracleCapture.Literal(""));
    }

    [Fact]
    public void Literal_of_exactly_4000_bytes_stays_one_literal()
    {
        Assert.Equal("'" + new string('x', 4000) + "'", OracleCapture.Literal(new string('x', 4000)));
    }

    [Fact]
    public void Literal_over_4000_bytes_becomes_clob_pieces_under_the_limit_that_reassemble_the_text()
    {
        var text = string.Concat(Enumerable.Range(0, 700).Select(i => $"col{i}'s\tnumber(10) 😀\n"));
        Assert.True(Encoding.UTF8.GetByteCount(text) > 4000);

        var literal = OracleCapture.Literal(text);

        Assert.StartsWith("TO_CLOB('", literal, StringComparison.Ordinal);
        var pieces = literal.Split(" || ");
        Assert.True(pieces.Length > 1);
        Assert.All(pieces, p =>
        {
            Assert.StartsWith("TO_CLOB('", p, StringComparison.Ordinal);
            Assert.EndsWith("')", p, StringComparison.Ordinal);
            Assert.True(Encoding.UTF8.GetByteCount(p) <= 4000 + 20, p);
        });
        var reassembled = string.Concat(pieces.Select(p => p["TO_CLOB('".Length..^"')".Length].Replace("''", "'", StringComparison.Ordinal)));
        Assert.Equal(text, reassembled);
    }

    [Fact]
    public void Literal_never_splits_a_surrogate_pair_between_two_clob_pieces()
    {
        var text = new string('a', 999) + "😀" + new string('b', 4000);

        var pieces = OracleCapture.Literal(text).Split(" || ");

        Assert.Equal("TO_CLOB('" + new string('a', 999) + "')", pieces[0]);
        Assert.StartsWith("TO_CLOB('😀b", pieces[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Idempotent_runs_a_create_table_in_a_plsql_block_that_ignores_ora_00955()
    {
        var wrapped = OracleCapture.Idempotent("CREATE TABLE \"REPL_NODES\" (\n    NAME VARCHAR2(128 CHAR) NOT NULL\n)");

        Assert.Equal(
            """
            DECLARE
                name_in_use EXCEPTION;
                PRAGMA EXCEPTION_INIT(name_in_use, -955);
            BEGIN
                EXECUTE IMMEDIATE 'CREATE TABLE "REPL_NODES" (
                NAME VARCHAR2(128 CHAR) NOT NULL
            )';
            EXCEPTION
                WHEN name_in_use THEN
                    NULL;
            END;
            """.ReplaceLineEndings("\n"),
            wrapped);
    }

    [Theory]
    [InlineData("CREATE TABLE \"T\" (A NUMBER(10))", "name_in_use", -955)]
    [InlineData("CREATE GLOBAL TEMPORARY TABLE \"T\" (A NUMBER(10)) ON COMMIT DELETE ROWS", "name_in_use", -955)]
    [InlineData("CREATE INDEX \"T_IDX\" ON \"T\" (A)", "name_in_use", -955)]
    [InlineData("CREATE UNIQUE INDEX \"T_IDX\" ON \"T\" (A)", "name_in_use", -955)]
    [InlineData("DROP TABLE \"T\" PURGE", "no_such_table", -942)]
    [InlineData("DROP TRIGGER \"T_TRG\"", "no_such_trigger", -4080)]
    [InlineData("DROP PROCEDURE \"T_APPLY\"", "no_such_object", -4043)]
    [InlineData("DROP INDEX \"T_IDX\"", "no_such_index", -1418)]
    public void Idempotent_ignores_exactly_the_error_that_means_already_done(string statement, string exception, int code)
    {
        var wrapped = OracleCapture.Idempotent(statement);

        Assert.StartsWith($"DECLARE\n    {exception} EXCEPTION;\n    PRAGMA EXCEPTION_INIT({exception}, {code});\nBEGIN\n", wrapped, StringComparison.Ordinal);
        Assert.Contains($"    EXECUTE IMMEDIATE {OracleCapture.Literal(statement)};\n", wrapped, StringComparison.Ordinal);
        Assert.EndsWith($"EXCEPTION\n    WHEN {exception} THEN\n        NULL;\nEND;", wrapped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CREATE OR REPLACE TRIGGER \"T_TRG\" AFTER INSERT ON \"T\" FOR EACH ROW BEGIN NULL; END;")]
    [InlineData("CREATE OR REPLACE PROCEDURE \"P\" AS BEGIN NULL; END;")]
    [InlineData("MERGE INTO \"REPL_NODES\" n USING (SELECT 'a' AS NAME FROM DUAL) s ON (n.NAME = s.NAME) WHEN NOT MATCHED THEN INSERT (NAME) VALUES (s.NAME)")]
    [InlineData("DELETE FROM \"REPL_NODES\" WHERE NAME = 'a'")]
    [InlineData("UPDATE \"REPL_NODES\" SET LOADED_AT = SYSTIMESTAMP WHERE NAME = 'a'")]
    public void Idempotent_leaves_statements_that_can_already_run_twice_alone(string statement)
    {
        Assert.Equal(statement, OracleCapture.Idempotent(statement));
    }

    [Fact]
    public void Idempotent_doubles_the_quotes_of_a_hostile_name_inside_execute_immediate()
    {
        var wrapped = OracleCapture.Idempotent("DROP TABLE \"REPL_IT'S_LOG\" PURGE");

        Assert.Contains("EXECUTE IMMEDIATE 'DROP TABLE \"REPL_IT''S_LOG\" PURGE';", wrapped, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_statement_is_plain_sql_without_a_semicolon_or_a_plsql_block_ending_in_end()
    {
        var capture = Capture();
        var apply = new OracleApply(OracleSchema.Dialect);
        var statements = new List<string>();
        statements.AddRange(capture.InstallBase());
        statements.AddRange(capture.UninstallBase());
        foreach (var table in new[] { ArticleRevisions(), Hostile(), AllKinds() })
        {
            var described = capture.Describe(table, TableMode.Log);
            statements.AddRange(capture.InstallTable(described));
            statements.AddRange(capture.UninstallTable(described));
            statements.AddRange(apply.InstallRoutine(table, described.SlaveName));
            statements.AddRange(apply.UninstallRoutine(table, described.SlaveName));
            statements.Add(apply.CallSql(described.SlaveName));
        }
        statements.AddRange(capture.InstallNode("pg1", Vendor.PostgreSql));
        statements.AddRange(capture.UninstallNode("pg1"));
        statements.Add(OracleMaster.LockSql);

        Assert.All(statements, s =>
        {
            var plsql = s.StartsWith("DECLARE", StringComparison.Ordinal) || s.StartsWith("BEGIN", StringComparison.Ordinal)
                || s.StartsWith("CREATE OR REPLACE TRIGGER", StringComparison.Ordinal) || s.StartsWith("CREATE OR REPLACE PROCEDURE", StringComparison.Ordinal);
            if (plsql)
                Assert.EndsWith("END;", s, StringComparison.Ordinal);
            else
                Assert.False(s.TrimEnd().EndsWith(';'), s);
            Assert.DoesNotContain("{{", s, StringComparison.Ordinal);
            Assert.DoesNotContain("\n/\n", s, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Oracle_templates_mirror_the_postgresql_and_mariadb_file_names()
    {
        var names = SqlTemplate.Names();
        string[] Files(string vendor) => [.. names.Where(n => n.StartsWith(vendor + "/", StringComparison.Ordinal)).Select(n => n[(vendor.Length + 1)..])];

        Assert.Equal(Files("postgresql"), Files("oracle"));
        Assert.Equal(Files("mysql"), Files("oracle"));
    }
}
