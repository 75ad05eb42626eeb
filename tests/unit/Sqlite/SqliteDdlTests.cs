using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.Tests.Sqlite;

public sealed class SqliteDdlTests
{
    private static ColumnDefinition Col(string name, CanonicalType type, bool nullable = false) => new(name, type, nullable, false, type.ToString());

    [Fact]
    public void Create_table_writes_columns_composite_key_uniques_and_indexes_named_after_the_target()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Orders"),
            [
                Col("id", new(CanonicalKind.Int64)),
                Col("tenant", new(CanonicalKind.Int32)),
                Col("code", new(CanonicalKind.VarChar, Length: 20)),
                Col("total", new(CanonicalKind.Decimal, Precision: 12, Scale: 2), nullable: true),
            ],
            new KeyDefinition("orders_pkey", ["tenant", "id"]),
            [new KeyDefinition("orders_code_key", ["tenant", "code"])],
            [new IndexDefinition("orders_total_idx", ["total"], IsUnique: false)]);

        var ddl = SqliteSchema.Dialect.Ddl.CreateTable(table, new DbObjectName(null, "Orders_snap1"));

        Assert.Equal(
            [
                """
                CREATE TABLE "Orders_snap1" (
                    "id" BIGINT NOT NULL,
                    "tenant" INTEGER NOT NULL,
                    "code" VARCHAR(20) NOT NULL,
                    "total" DECIMAL TEXT(12,2),
                    CONSTRAINT "Orders_snap1_pkey" PRIMARY KEY ("tenant", "id"),
                    CONSTRAINT "Orders_snap1_tenant_code_key" UNIQUE ("tenant", "code")
                )
                """.ReplaceLineEndings("\n"),
                "CREATE INDEX \"Orders_snap1_total_idx\" ON \"Orders_snap1\" (\"total\")",
            ],
            ddl);
    }

    [Fact]
    public void A_unique_not_null_stand_in_key_is_written_as_the_first_unique_constraint_not_as_a_primary_key()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Codes"),
            [Col("a", new(CanonicalKind.Int32), nullable: true), Col("code", new(CanonicalKind.Char, Length: 2))],
            null,
            [new KeyDefinition("codes_a_key", ["a"]), new KeyDefinition("codes_code_key", ["code"])],
            []);

        var create = SqliteSchema.Dialect.Ddl.CreateTable(table, new DbObjectName(null, "Codes")).Single();

        Assert.DoesNotContain("PRIMARY KEY", create, StringComparison.Ordinal);
        var standIn = create.IndexOf("CONSTRAINT \"Codes_code_key\" UNIQUE (\"code\")", StringComparison.Ordinal);
        var other = create.IndexOf("CONSTRAINT \"Codes_a_key\" UNIQUE (\"a\")", StringComparison.Ordinal);
        Assert.True(standIn >= 0 && other > standIn, create);
    }

    [Fact]
    public void An_index_of_a_schema_qualified_target_qualifies_the_index_name_not_the_table()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"),
            [Col("id", new(CanonicalKind.Int32)), Col("v", new(CanonicalKind.Text))],
            new KeyDefinition(null, ["id"]), [], [new IndexDefinition("t_v", ["v"], IsUnique: true)]);

        var ddl = SqliteSchema.Dialect.Ddl.CreateTable(table, new DbObjectName("main", "T"));

        Assert.StartsWith("CREATE TABLE \"main\".\"T\" (", ddl[0], StringComparison.Ordinal);
        Assert.Equal("CREATE UNIQUE INDEX \"main\".\"T_v_idx\" ON \"T\" (\"v\")", ddl[1]);
    }
}
