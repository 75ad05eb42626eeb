using Repl.Schema;
using Repl.Schema.Oracle;

namespace Repl.Tests.Oracle;

public sealed class OracleDdlTests
{
    private static ColumnDefinition Col(string name, CanonicalType type, bool nullable = false) => new(name, type, nullable, false, type.ToString());

    private static IReadOnlyList<string> Ddl(TableDefinition table) => OracleSchema.Dialect.Ddl.CreateTable(table, new DbObjectName(null, "T"));

    [Fact]
    public void Non_key_character_and_binary_columns_stay_nullable_because_oracle_stores_empty_as_null()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"),
            [Col("k", new(CanonicalKind.VarChar, Length: 10)), Col("s", new(CanonicalKind.VarChar, Length: 10)), Col("b", new(CanonicalKind.Binary, Length: 4)),
             Col("j", new(CanonicalKind.Json)), Col("n", new(CanonicalKind.Int32))],
            new KeyDefinition(null, ["k"]), [], []);

        var create = Ddl(table)[0];

        Assert.Contains("\"k\" VARCHAR2(10 CHAR) NOT NULL,", create, StringComparison.Ordinal);
        Assert.Contains("\"s\" VARCHAR2(10 CHAR),", create, StringComparison.Ordinal);
        Assert.Contains("\"b\" RAW(4),", create, StringComparison.Ordinal);
        Assert.Contains("\"j\" CLOB CHECK (\"j\" IS JSON),", create, StringComparison.Ordinal);
        Assert.Contains("\"n\" NUMBER(10) NOT NULL,", create, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_columns_of_lob_or_timestamptz_type_get_a_type_oracle_can_index()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"),
            [Col("t", new(CanonicalKind.Text)), Col("b", new(CanonicalKind.Binary)), Col("at", new(CanonicalKind.TimestampTz, Precision: 6))],
            new KeyDefinition(null, ["t", "b", "at"]), [], []);

        var create = Ddl(table)[0];

        Assert.Contains("\"t\" VARCHAR2(4000 CHAR) NOT NULL,", create, StringComparison.Ordinal);
        Assert.Contains("\"b\" RAW(2000) NOT NULL,", create, StringComparison.Ordinal);
        Assert.Contains("\"at\" TIMESTAMP(6) NOT NULL,", create, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"T_pkey\" PRIMARY KEY (\"t\", \"b\", \"at\")", create, StringComparison.Ordinal);
    }

    [Fact]
    public void Uniques_and_indexes_over_lobs_or_an_already_indexed_column_list_are_left_out()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"),
            [Col("id", new(CanonicalKind.Int32)), Col("body", new(CanonicalKind.Text), nullable: true), Col("x", new(CanonicalKind.Int32))],
            new KeyDefinition(null, ["id"]),
            [new KeyDefinition(null, ["body"]), new KeyDefinition(null, ["id"]), new KeyDefinition(null, ["x"])],
            [new IndexDefinition("a", ["body", "x"], false), new IndexDefinition("b", ["x"], false), new IndexDefinition("c", ["id"], true),
             new IndexDefinition("d", ["x", "id"], false), new IndexDefinition("e", ["x", "id"], true)]);

        var ddl = Ddl(table);

        Assert.Equal(2, ddl.Count);
        Assert.DoesNotContain("\"body\")", ddl[0], StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"T_x_key\" UNIQUE (\"x\")\n)", ddl[0], StringComparison.Ordinal);
        Assert.DoesNotContain("T_id_key", ddl[0], StringComparison.Ordinal);
        Assert.Equal("CREATE INDEX \"T_x_id_idx\" ON \"T\" (\"x\", \"id\")", ddl[1]);
    }

    [Fact]
    public void A_unique_constraint_over_a_timestamptz_column_becomes_a_unique_index()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"),
            [Col("id", new(CanonicalKind.Int32)), Col("at", new(CanonicalKind.TimestampTz, Precision: 3))],
            new KeyDefinition(null, ["id"]), [new KeyDefinition(null, ["at", "id"])], []);

        var ddl = Ddl(table);

        Assert.DoesNotContain("UNIQUE", ddl[0], StringComparison.Ordinal);
        Assert.Equal("CREATE UNIQUE INDEX \"T_at_id_key\" ON \"T\" (\"at\", \"id\")", ddl[1]);
    }

    [Fact]
    public void A_stand_in_key_is_written_as_the_first_unique_constraint()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"),
            [Col("a", new(CanonicalKind.Int32), nullable: true), Col("code", new(CanonicalKind.Char, Length: 2))],
            null, [new KeyDefinition(null, ["a"]), new KeyDefinition(null, ["code"])], []);

        var create = Ddl(table)[0];

        Assert.DoesNotContain("PRIMARY KEY", create, StringComparison.Ordinal);
        Assert.Contains("\"code\" CHAR(2 CHAR) NOT NULL,", create, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"T_code_key\" UNIQUE (\"code\"),\n    CONSTRAINT \"T_a_key\" UNIQUE (\"a\")", create, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_name_longer_than_the_identifier_limit_is_refused_naming_it_and_the_limit()
    {
        var longName = new string('C', 31);
        var table = TableDefinition.Create(new DbObjectName(null, "T"), [Col(longName, new(CanonicalKind.Int32))], new KeyDefinition(null, [longName]), [], []);

        var error = Assert.Throws<SchemaException>(() => OracleSchema.Create(30).Ddl.CreateTable(table, new DbObjectName(null, "T")));

        Assert.Equal($"Table T: the column name {longName} is 31 bytes long, longer than this Oracle's identifier limit of 30 bytes. " +
            "Rename it on the master, choose a shorter target, or, on Oracle 12.2 and later, use the 128-byte limit.", error.Message);
        Assert.Single(OracleSchema.Dialect.Ddl.CreateTable(table, new DbObjectName(null, "T")));
    }

    [Fact]
    public void No_statement_ends_with_a_semicolon()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "T"), [Col("id", new(CanonicalKind.Int32)), Col("v", new(CanonicalKind.Int32))],
            new KeyDefinition(null, ["id"]), [], [new IndexDefinition("i", ["v"], false)]);

        Assert.All(Ddl(table), s => Assert.False(s.TrimEnd().EndsWith(';'), s));
    }
}
