using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.Tests.PostgreSql;

public sealed class PostgreSqlDdlTests
{
    private static readonly ISlaveDdl Ddl = PostgreSqlSchema.Dialect.Ddl;

    private static ColumnDefinition Column(string name, CanonicalType type, bool nullable = false, bool identity = false) =>
        new(name, type, nullable, identity, type.ToString());

    [Fact]
    public void A_representative_table_gets_typed_columns_its_key_deferred_uniques_and_indexes()
    {
        var table = TableDefinition.Create(
            new DbObjectName("public", "NewsArticles"),
            [
                Column("id", new(CanonicalKind.Int64), identity: true),
                Column("Slug", new(CanonicalKind.VarChar, Length: 200)),
                Column("title \"main\"", new(CanonicalKind.Text), nullable: true),
                Column("price", new(CanonicalKind.Decimal, Precision: 12, Scale: 2), nullable: true),
                Column("published", new(CanonicalKind.TimestampTz, Precision: 6), nullable: true),
                Column("body", new(CanonicalKind.Json), nullable: true),
            ],
            new KeyDefinition("NewsArticles_pkey", ["id"]),
            [new KeyDefinition("na_slug", ["Slug"]), new KeyDefinition("na_pub_price", ["published", "price"])],
            [new IndexDefinition("na_pub", ["published"], IsUnique: false), new IndexDefinition("na_title", ["title \"main\"", "price"], IsUnique: false)]);

        var statements = Ddl.CreateTable(table, new DbObjectName("replica", "NewsArticles"));

        Assert.Equal(
            [
                """"
                CREATE TABLE "replica"."NewsArticles" (
                    "id" bigint NOT NULL,
                    "Slug" varchar(200) NOT NULL,
                    "title ""main""" text,
                    "price" numeric(12,2),
                    "published" timestamptz(6),
                    "body" json,
                    CONSTRAINT "NewsArticles_pkey" PRIMARY KEY ("id"),
                    CONSTRAINT "NewsArticles_Slug_key" UNIQUE ("Slug") DEFERRABLE INITIALLY DEFERRED,
                    CONSTRAINT "NewsArticles_published_price_key" UNIQUE ("published", "price") DEFERRABLE INITIALLY DEFERRED
                )
                """".ReplaceLineEndings("\n"),
                """CREATE INDEX "NewsArticles_published_idx" ON "replica"."NewsArticles" ("published")""",
                """"CREATE INDEX "NewsArticles_title ""main""_price_idx" ON "replica"."NewsArticles" ("title ""main""", "price")"""",
            ],
            statements);
    }

    [Fact]
    public void A_unique_not_null_stand_in_key_stays_a_non_deferrable_unique_constraint()
    {
        var table = TableDefinition.Create(
            new DbObjectName("public", "Tags"),
            [Column("code", new(CanonicalKind.Char, Length: 4)), Column("label", new(CanonicalKind.VarChar, Length: 50), nullable: true)],
            null,
            [new KeyDefinition("tags_code", ["code"])],
            []);

        var statements = Ddl.CreateTable(table, new DbObjectName(null, "Tags_snap1"));

        Assert.Equal(KeySource.UniqueNotNull, table.KeySource);
        Assert.Equal(
            """
            CREATE TABLE "Tags_snap1" (
                "code" char(4) NOT NULL,
                "label" varchar(50),
                CONSTRAINT "Tags_snap1_code_key" UNIQUE ("code")
            )
            """.ReplaceLineEndings("\n"),
            Assert.Single(statements));
    }

    [Fact]
    public void Unique_indexes_become_deferred_constraints_and_duplicate_or_json_rules_are_left_out()
    {
        var table = TableDefinition.Create(
            new DbObjectName(null, "t"),
            [Column("a", new(CanonicalKind.Int32)), Column("b", new(CanonicalKind.Int32)), Column("doc", new(CanonicalKind.Json), nullable: true)],
            new KeyDefinition("pk", ["a"]),
            [new KeyDefinition("dup_of_pk", ["a"]), new KeyDefinition("on_json", ["doc"])],
            [
                new IndexDefinition("ub", ["b"], IsUnique: true),
                new IndexDefinition("ix1", ["b", "a"], IsUnique: false),
                new IndexDefinition("ix2", ["b", "a"], IsUnique: false),
                new IndexDefinition("ixdoc", ["doc"], IsUnique: false),
            ]);

        var statements = Ddl.CreateTable(table, new DbObjectName(null, "t2"));

        Assert.Equal(
            [
                """
                CREATE TABLE "t2" (
                    "a" integer NOT NULL,
                    "b" integer NOT NULL,
                    "doc" json,
                    CONSTRAINT "t2_pkey" PRIMARY KEY ("a"),
                    CONSTRAINT "t2_b_key" UNIQUE ("b") DEFERRABLE INITIALLY DEFERRED
                )
                """.ReplaceLineEndings("\n"),
                """CREATE INDEX "t2_b_a_idx" ON "t2" ("b", "a")""",
            ],
            statements);
    }

    [Fact]
    public void Long_target_names_derive_constraint_names_that_fit_and_stay_apart()
    {
        var table = TableDefinition.Create(
            new DbObjectName(null, "t"), [Column("id", new(CanonicalKind.Int32))], new KeyDefinition("pk", ["id"]), [], []);

        var one = Ddl.CreateTable(table, new DbObjectName(null, new string('x', 57) + "_snap1"))[0];
        var two = Ddl.CreateTable(table, new DbObjectName(null, new string('x', 57) + "_snap2"))[0];

        var pkOne = one.Split('\n')[2];
        var pkTwo = two.Split('\n')[2];
        Assert.NotEqual(pkOne, pkTwo);
        Assert.Matches("^    CONSTRAINT \"x+_[0-9a-f]{8}\" PRIMARY KEY \\(\"id\"\\)$", pkOne);
    }
}
