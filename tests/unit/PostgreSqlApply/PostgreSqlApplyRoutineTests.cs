using Repl.Schema;
using Repl.Schema.PostgreSql;
using PgApply = Repl.Dialects.PostgreSql.PostgreSqlApply;

namespace Repl.Tests.PostgreSqlApply;

public sealed class PostgreSqlApplyRoutineTests
{
    private static readonly PgApply Apply = new(PostgreSqlSchema.Dialect);

    private static readonly DbObjectName Target = new(null, "OrderLines");

    private static ColumnDefinition Column(string name, CanonicalType type, bool nullable = false) =>
        new(name, type, nullable, IsIdentity: false, type.ToString());

    // A composite key in another order than the columns, a quote in a name, capitals: the shapes that go wrong first.
    private static readonly TableDefinition OrderLines = TableDefinition.Create(
        new DbObjectName("shop", "OrderLines"),
        [
            Column("line", new(CanonicalKind.Int32)),
            Column("Order", new(CanonicalKind.Int64)),
            Column("sku \"x\"", new(CanonicalKind.VarChar, Length: 40), nullable: true),
            Column("amount", new(CanonicalKind.Decimal, Precision: 12, Scale: 2), nullable: true),
            Column("shipped", new(CanonicalKind.TimestampTz, Precision: 3), nullable: true),
        ],
        new KeyDefinition("OrderLines_pkey", ["Order", "line"]),
        [new KeyDefinition("OrderLines_sku_key", ["sku \"x\""])],
        []);

    [Fact]
    public void The_routine_deletes_every_staged_key_then_inserts_the_present_rows_then_empties_the_stage()
    {
        Assert.Equal(
            [
                """CREATE SCHEMA IF NOT EXISTS "repl" """.TrimEnd(),
                """"
                CREATE OR REPLACE FUNCTION "repl"."apply_orderlines"() RETURNS bigint
                LANGUAGE plpgsql
                SET enable_hashjoin = off
                SET enable_mergejoin = off
                AS $repl$
                DECLARE
                    applied bigint;
                BEGIN
                    DELETE FROM "OrderLines" t USING pg_temp."repl_stage_orderlines" s WHERE t."Order" = s."Order" AND t."line" = s."line";
                    INSERT INTO "OrderLines" ("line", "Order", "sku ""x""", "amount", "shipped")
                        SELECT "line", "Order", "sku ""x""", "amount", "shipped" FROM pg_temp."repl_stage_orderlines" WHERE repl_present;
                    GET DIAGNOSTICS applied = ROW_COUNT;
                    TRUNCATE pg_temp."repl_stage_orderlines";
                    RETURN applied;
                END
                $repl$
                """".ReplaceLineEndings("\n"),
            ],
            Apply.InstallRoutine(OrderLines, Target));
    }

    [Fact]
    public void A_table_whose_every_column_is_in_the_key_is_deleted_and_inserted_by_key()
    {
        var links = TableDefinition.Create(new DbObjectName("shop", "Links"),
            [Column("a", new(CanonicalKind.Int32)), Column("b", new(CanonicalKind.Int32))],
            new KeyDefinition("Links_pkey", ["a", "b"]), [], []);

        var routine = Apply.InstallRoutine(links, new DbObjectName(null, "Links"))[1];

        Assert.DoesNotContain("UPDATE", routine, StringComparison.Ordinal);
        Assert.Contains("DELETE FROM \"Links\"", routine, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO \"Links\" (\"a\", \"b\")", routine, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stage_has_every_column_nullable_with_the_mapped_type_plus_the_present_flag_and_a_fingerprint()
    {
        Assert.Equal(
            [
                """DROP TABLE IF EXISTS pg_temp."repl_stage_orderlines" """.TrimEnd(),
                """"
                CREATE TEMP TABLE "repl_stage_orderlines" (
                    "line" integer,
                    "Order" bigint,
                    "sku ""x""" varchar(40),
                    "amount" numeric(12,2),
                    "shipped" timestamptz(3),
                    repl_present boolean NOT NULL
                ) ON COMMIT DELETE ROWS
                """".ReplaceLineEndings("\n"),
                """COMMENT ON TABLE pg_temp."repl_stage_orderlines" IS 'repl apply stage e6b3913777d98bd5'""",
            ],
            Apply.CreateStage(OrderLines, Target));
    }

    [Fact]
    public void Another_column_gives_the_stage_another_fingerprint()
    {
        var wider = TableDefinition.Create(OrderLines.Name,
            [.. OrderLines.Columns, Column("note", new(CanonicalKind.Text), nullable: true)], OrderLines.Key, OrderLines.UniqueConstraints, []);

        Assert.NotEqual(Apply.CreateStage(OrderLines, Target)[^1], Apply.CreateStage(wider, Target)[^1]);
    }

    [Fact]
    public void Uninstall_drops_only_the_routine()
    {
        Assert.Equal(["""DROP FUNCTION IF EXISTS "repl"."apply_orderlines"()"""], Apply.UninstallRoutine(OrderLines, Target));
    }

    [Fact]
    public void Long_target_names_are_shortened_within_postgresql_limits()
    {
        var longName = new DbObjectName(null, new string('T', 60));

        var function = Apply.InstallRoutine(OrderLines, longName)[1].Split('\n')[0];
        var stage = Apply.CreateStage(OrderLines, longName)[1].Split('\n')[0];

        var functionName = function["CREATE OR REPLACE FUNCTION \"repl\".\"".Length..function.IndexOf("\"()", StringComparison.Ordinal)];
        var stageName = stage["CREATE TEMP TABLE \"".Length..stage.IndexOf("\" (", StringComparison.Ordinal)];
        Assert.StartsWith("apply_ttt", functionName, StringComparison.Ordinal);
        Assert.StartsWith("repl_stage_ttt", stageName, StringComparison.Ordinal);
        Assert.True(functionName.Length <= 63 && stageName.Length <= 63, $"{functionName} / {stageName}");
    }

    [Fact]
    public void A_column_named_repl_present_is_refused_naming_table_and_column()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "flags"),
            [Column("id", new(CanonicalKind.Int32)), Column("repl_present", new(CanonicalKind.Boolean))],
            new KeyDefinition("flags_pkey", ["id"]), [], []);

        var error = Assert.Throws<SchemaException>(() => Apply.InstallRoutine(table, new DbObjectName(null, "flags")));

        Assert.Contains("public.flags", error.Message, StringComparison.Ordinal);
        Assert.Contains("repl_present", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rename the column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_holding_the_body_quote_is_refused_instead_of_breaking_the_routine()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "odd"),
            [Column("id", new(CanonicalKind.Int32)), Column("a$repl$b", new(CanonicalKind.Text), nullable: true)],
            new KeyDefinition("odd_pkey", ["id"]), [], []);

        var error = Assert.Throws<SchemaException>(() => Apply.InstallRoutine(table, new DbObjectName(null, "odd")));

        Assert.Contains("a$repl$b", error.Message, StringComparison.Ordinal);
    }
}
