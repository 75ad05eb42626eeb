using System.Text;
using Npgsql;
using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.IntegrationTests.PostgreSql;

public sealed class PostgreSqlHostileIdentifierTests
{
    private static readonly SchemaDialect Pg = PostgreSqlSchema.Dialect;
    private static readonly IIdentifierRules Rules = Pg.Identifiers;

    private static readonly string SixtyThreeBytes = string.Concat(Enumerable.Repeat("é", 31)) + "x";
    private static readonly string LongA = Rules.Derive(new string('L', 75) + "_alpha");
    private static readonly string LongB = Rules.Derive(new string('L', 75) + "_bravo");

    private static readonly string[] ColumnNames =
    [
        "select", "order", "group", "has space", "it's", "say \"hi\"", "back`tick", "MixedCase", "Ünïcödé 表 🙂", SixtyThreeBytes, LongA, LongB,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_long_names_were_shortened_apart_and_the_63_byte_name_kept()
    {
        Assert.Equal(63, Encoding.UTF8.GetByteCount(SixtyThreeBytes));
        Assert.Equal(SixtyThreeBytes, Rules.Shorten(SixtyThreeBytes));
        Assert.NotEqual(LongA, LongB);
        Assert.True(Encoding.UTF8.GetByteCount(LongA) <= 63);
        Assert.True(Encoding.UTF8.GetByteCount(LongB) <= 63);
    }

    [Fact]
    public async Task Hostile_identifiers_survive_catalog_then_ddl_then_catalog()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        var masterSchema = "Mäster \"schema\" 'x'";
        var copySchema = "select";
        await db.ExecuteAsync($"CREATE SCHEMA {Rules.Quote(masterSchema)}; CREATE SCHEMA {Rules.Quote(copySchema)}");

        var tableNames = new[] { "Order \"Details\" 'x' `y` 🙂", "group", "MixedCase", SixtyThreeBytes, LongA, LongB };
        foreach (var tableName in tableNames)
        {
            var master = new DbObjectName(masterSchema, tableName);
            await CreateHostileTableAsync(db, master);
            var definition = await Pg.Catalog.ReadTableAsync(db, master, Ct);
            Assert.Equal(ColumnNames, definition.Columns.Select(c => c.Name));

            var target = new DbObjectName(copySchema, Rules.Derive(tableName, "copy"));
            foreach (var statement in Pg.Ddl.CreateTable(definition, target))
                await db.ExecuteAsync(statement);
            var copy = await Pg.Catalog.ReadTableAsync(db, target, Ct);

            Assert.Equal(Shape(definition), Shape(copy));
            Assert.Equal(target, copy.Name);
        }

        var found = await Pg.Catalog.FindTablesAsync(db, new DbObjectName(masterSchema.ToUpperInvariant(), "order \"details\" 'X' `Y` 🙂"), Ct);
        Assert.Equal([new DbObjectName(masterSchema, tableNames[0])], found);
    }

    private static async Task CreateHostileTableAsync(NpgsqlConnection db, DbObjectName table)
    {
        string Q(string name) => Rules.Quote(name);
        var columns = string.Join(", ", ColumnNames.Select((c, i) => $"{Q(c)} {(i % 3 == 0 ? "integer" : i % 3 == 1 ? "varchar(40)" : "text")}"));
        await db.ExecuteAsync($"""
            CREATE TABLE {Rules.Quote(table)} (
                {columns},
                PRIMARY KEY ({Q("order")}, {Q("select")}),
                UNIQUE ({Q("MixedCase")}),
                UNIQUE ({Q("it's")}, {Q("back`tick")}),
                UNIQUE ({Q(LongA)}, {Q(LongB)})
            );
            CREATE INDEX ON {Rules.Quote(table)} ({Q("has space")});
            CREATE INDEX ON {Rules.Quote(table)} ({Q("Ünïcödé 表 🙂")}, {Q(SixtyThreeBytes)});
            """);
    }

    private static string Shape(TableDefinition table) => string.Join("\n",
    [
        .. table.Columns.Select(c => $"{c.Name} {c.Type} {c.IsNullable} {c.NativeType}"),
        $"key {table.KeySource} {string.Join("|", table.Key.Columns)}",
        .. table.UniqueConstraints.Select(u => "unique " + string.Join("|", u.Columns)),
        .. table.Indexes.Select(i => $"index {i.IsUnique} {string.Join("|", i.Columns)}"),
    ]);
}
