using Repl.Configuration;
using Repl.Dialects.Oracle;
using Repl.Schema;
using Repl.Schema.Oracle;
using static Repl.Tests.OracleDialect.OracleDialectTables;

namespace Repl.Tests.OracleDialect;

public sealed class OracleCaptureTests
{
    [Fact]
    public void Generated_names_are_upper_case_and_the_log_lives_in_the_schema_of_its_table()
    {
        var table = Describe(ArticleRevisions());

        Assert.Equal(new DbObjectName("NEWS", "REPL_ARTICLEREVISIONS_LOG"), table.LogName);
        Assert.Equal("ARTICLEREVISIONS", table.BaseName);
        Assert.Equal(new DbObjectName(null, "ArticleRevisions"), table.SlaveName);
        Assert.Equal(new DbObjectName(null, "REPL_PROCESSED_PG1"), Capture().ProcessedTable("pg1"));
    }

    [Fact]
    public void An_update_of_the_key_logs_the_old_key_as_well_as_the_new_one()
    {
        var trigger = Capture().InstallTable(Describe(ArticleRevisions())).Single(s => s.StartsWith("CREATE OR REPLACE TRIGGER", StringComparison.Ordinal));

        Assert.Contains("IF DELETING OR (UPDATING AND NOT (:OLD.\"ArticleID\" = :NEW.\"ArticleID\" AND :OLD.\"Revision\" = :NEW.\"Revision\")) THEN", trigger, StringComparison.Ordinal);
        Assert.Contains("VALUES (v_txid, :OLD.\"ArticleID\", :OLD.\"Revision\");", trigger, StringComparison.Ordinal);
        Assert.Contains("IF INSERTING OR UPDATING THEN", trigger, StringComparison.Ordinal);
        Assert.Contains("VALUES (v_txid, :NEW.\"ArticleID\", :NEW.\"Revision\");", trigger, StringComparison.Ordinal);
        Assert.Contains("DBMS_TRANSACTION.LOCAL_TRANSACTION_ID(TRUE)", trigger, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TXID")]
    [InlineData("LOGGED_AT")]
    public void A_key_column_named_like_a_log_column_is_refused_naming_table_and_column(string column)
    {
        var table = TableDefinition.Create(new DbObjectName("NEWS", "Events"),
            [Col(column, new(CanonicalKind.Int64)), Col("Payload", new(CanonicalKind.Text), nullable: true)],
            new KeyDefinition(null, [column]), [], []);

        var error = Assert.Throws<SchemaException>(() => Capture().InstallTable(Describe(table)));

        Assert.Contains("NEWS.Events", error.Message, StringComparison.Ordinal);
        Assert.Contains($"key column {column}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rename", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unqualified_table_is_registered_under_the_current_schema()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Events"), [Col("Id", new(CanonicalKind.Int64))], new KeyDefinition(null, ["Id"]), [], []);

        var merge = Capture().InstallTable(Describe(table)).Single(s => s.StartsWith("MERGE", StringComparison.Ordinal));

        Assert.Contains("USING (SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') AS SOURCE_SCHEMA, 'Events' AS SOURCE_TABLE,", merge, StringComparison.Ordinal);
    }

    [Fact]
    public void The_column_signature_of_a_wide_table_is_registered_as_a_clob_expression()
    {
        var columns = Enumerable.Range(0, 150).Select(i => Col($"a_rather_long_column_name_number_{i}", new(CanonicalKind.VarChar, Length: 100))).ToList();
        var table = TableDefinition.Create(new DbObjectName("NEWS", "Wide"), columns, new KeyDefinition(null, [columns[0].Name]), [], []);

        var merge = Capture().InstallTable(Describe(table)).Single(s => s.StartsWith("MERGE", StringComparison.Ordinal));

        Assert.Contains("TO_CLOB('a_rather_long_column_name_number_0", merge, StringComparison.Ordinal);
        Assert.Contains(") || TO_CLOB('", merge, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_queries_read_the_registries_by_their_upper_case_names()
    {
        var capture = Capture();

        Assert.Equal("SELECT COUNT(*) FROM ALL_TABLES WHERE OWNER = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') AND TABLE_NAME = 'REPL_TABLES'", capture.RegistryExistsQuery);
        Assert.Equal("SELECT SOURCE_SCHEMA, SOURCE_TABLE, COLUMNS FROM \"REPL_TABLES\"", capture.RegisteredTablesQuery);
        Assert.Equal("SELECT NAME, CASE WHEN LOADED_AT IS NULL THEN 0 ELSE 1 END FROM \"REPL_NODES\"", capture.RegisteredNodesQuery);
        Assert.Equal(["UPDATE \"REPL_NODES\" SET LOADED_AT = SYSTIMESTAMP WHERE NAME = 'it''s'"], capture.MarkLoaded("it's"));
    }

    [Fact]
    public void A_table_with_a_column_named_repl_present_is_refused_by_the_oracle_apply_routine()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "flags"),
            [Col("id", new(CanonicalKind.Int32)), Col("REPL_PRESENT", new(CanonicalKind.Boolean))], new KeyDefinition(null, ["id"]), [], []);

        var error = Assert.Throws<SchemaException>(() => new OracleApply(OracleSchema.Dialect).InstallRoutine(table, new DbObjectName(null, "flags")));

        Assert.Contains("public.flags", error.Message, StringComparison.Ordinal);
        Assert.Contains("REPL_PRESENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stage_gives_key_columns_the_slave_tables_key_types()
    {
        var stage = new OracleApply(OracleSchema.Dialect).InstallRoutine(AllKinds(), new DbObjectName(null, "all_kinds"))
            .Single(s => s.Contains("CREATE GLOBAL TEMPORARY TABLE", StringComparison.Ordinal));
        var tableDdl = OracleSchema.Dialect.Ddl.CreateTable(AllKinds(), new DbObjectName(null, "all_kinds"))[0];

        foreach (var key in new[] { "\"tenant_id\" NUMBER(10)", "\"code\" VARCHAR2(4000 CHAR)", "\"valid_from\" TIMESTAMP(3)" })
        {
            Assert.Contains(key + " NOT NULL", tableDdl, StringComparison.Ordinal);
            Assert.Contains(key + ",", stage, StringComparison.Ordinal);
        }
        Assert.Contains("\"body\" CLOB,", stage, StringComparison.Ordinal);
        Assert.Contains("ON COMMIT DELETE ROWS", stage, StringComparison.Ordinal);
    }

    [Fact]
    public void Master_reads_time_zone_columns_through_sys_extract_utc_keys_included()
    {
        var table = Describe(TableDefinition.Create(new DbObjectName("NEWS", "Sessions"),
            [Col("StartedAt", new(CanonicalKind.TimestampTz, Precision: 6)), Col("UserId", new(CanonicalKind.Int64))],
            new KeyDefinition(null, ["StartedAt", "UserId"]), [], []));

        var changes = Master().SelectChanges(table, "pg1");

        Assert.StartsWith("SELECT SYS_EXTRACT_UTC(k.\"StartedAt\"), k.\"UserId\", CASE WHEN t.\"StartedAt\" IS NOT NULL THEN 1 ELSE 0 END AS REPL_PRESENT,", changes, StringComparison.Ordinal);
        Assert.Contains("SYS_EXTRACT_UTC(t.\"StartedAt\"), t.\"UserId\"", changes, StringComparison.Ordinal);
        Assert.Equal("SELECT SYS_EXTRACT_UTC(\"StartedAt\"), \"UserId\" FROM \"NEWS\".\"Sessions\"", Master().SelectAll(table));
    }
}
