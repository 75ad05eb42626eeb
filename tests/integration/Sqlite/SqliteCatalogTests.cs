using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.Schema.Sqlite;

namespace Repl.IntegrationTests.Sqlite;

public sealed class SqliteCatalogTests
{
    private static readonly SchemaDialect Sqlite = SqliteSchema.Dialect;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ColumnDefinition Col(string name, CanonicalType type, bool nullable = false) => new(name, type, nullable, false, type.ToString());

    private static async Task<SqliteConnection> CreateAsync(TableDefinition table, DbObjectName target, string suffix = "", [CallerMemberName] string test = "")
    {
        var connection = new SqliteConnection(TestServers.NewSqliteDatabase(suffix, test));
        await connection.OpenAsync(Ct);
        foreach (var statement in Sqlite.Ddl.CreateTable(table, target))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(Ct);
        }
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static void AssertSameColumns(TableDefinition expected, TableDefinition actual)
    {
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.Type, c.IsNullable)), actual.Columns.Select(c => (c.Name, c.Type, c.IsNullable)));
    }

    [Fact]
    public async Task Every_canonical_type_survives_ddl_create_and_catalog_read_back_unchanged()
    {
        var columns = SqliteTypes.All.Select((t, i) => Col($"c{i}_{t.Kind}", t, nullable: i % 2 == 1)).Prepend(Col("id", new(CanonicalKind.Int64))).ToList();
        var table = TableDefinition.Create(new DbObjectName("public", "all_types"), columns, new KeyDefinition("all_types_pkey", ["id"]), [], []);
        await using var connection = await CreateAsync(table, new DbObjectName(null, "all_types"));

        var read = await Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "all_types"), Ct);

        AssertSameColumns(table, read);
        Assert.All(read.Columns, c => Assert.False(c.IsIdentity));
        Assert.Equal("DECIMAL TEXT(12,2)", read.Columns.Single(c => c.Type == new CanonicalType(CanonicalKind.Decimal, Precision: 12, Scale: 2)).NativeType);
        Assert.Equal(["id"], read.Key.Columns);
        Assert.Equal(KeySource.PrimaryKey, read.KeySource);
    }

    [Fact]
    public async Task Composite_primary_key_reads_back_in_key_order_not_column_order()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "pk_order"),
            [Col("a", new(CanonicalKind.Int32)), Col("b", new(CanonicalKind.Text)), Col("c", new(CanonicalKind.Date))],
            new KeyDefinition(null, ["c", "a", "b"]), [], []);
        await using var connection = await CreateAsync(table, new DbObjectName(null, "pk_order"));

        var read = await Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "pk_order"), Ct);

        Assert.Equal(["c", "a", "b"], read.Key.Columns);
        Assert.Null(read.Key.Name);
    }

    [Fact]
    public async Task Unique_constraints_and_indexes_read_back_in_declaration_order_with_derived_index_names()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "src"),
            [Col("id", new(CanonicalKind.Int32)), Col("x", new(CanonicalKind.Int32)), Col("y", new(CanonicalKind.Text), nullable: true), Col("z", new(CanonicalKind.Uuid))],
            new KeyDefinition(null, ["id"]),
            [new KeyDefinition("u1", ["y", "x"]), new KeyDefinition("u2", ["z"]), new KeyDefinition("u3", ["x"])],
            [new IndexDefinition("i1", ["y"], IsUnique: false), new IndexDefinition("i2", ["z", "y"], IsUnique: true)]);
        await using var connection = await CreateAsync(table, new DbObjectName(null, "dst_snap1"));

        var read = await Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "dst_snap1"), Ct);

        Assert.Equal([["y", "x"], ["z"], ["x"]], read.UniqueConstraints.Select(u => u.Columns));
        Assert.Equal([("dst_snap1_y_idx", false), ("dst_snap1_z_y_idx", true)], read.Indexes.Select(i => (i.Name, i.IsUnique)));
        Assert.Equal([["y"], ["z", "y"]], read.Indexes.Select(i => i.Columns));
    }

    [Fact]
    public async Task A_unique_not_null_stand_in_key_reads_back_as_the_same_stand_in()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "nokey"),
            [Col("maybe", new(CanonicalKind.Int32), nullable: true), Col("code", new(CanonicalKind.VarChar, Length: 10)), Col("n", new(CanonicalKind.Int16))],
            null,
            [new KeyDefinition("nokey_maybe_key", ["maybe"]), new KeyDefinition("nokey_code_key", ["code"]), new KeyDefinition("nokey_n_key", ["n"])],
            []);
        Assert.Equal(["code"], table.Key.Columns);
        await using var connection = await CreateAsync(table, new DbObjectName(null, "nokey"));

        var read = await Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "nokey"), Ct);

        Assert.Equal(KeySource.UniqueNotNull, read.KeySource);
        Assert.Equal(["code"], read.Key.Columns);
        Assert.Equal([["maybe"], ["n"]], read.UniqueConstraints.Select(u => u.Columns));
        AssertSameColumns(table, read);
    }

    [Fact]
    public async Task A_table_without_primary_key_or_unique_not_null_constraint_is_refused()
    {
        await using var connection = new SqliteConnection(TestServers.NewSqliteDatabase());
        await connection.OpenAsync(Ct);
        await ExecuteAsync(connection, "CREATE TABLE loose (a INTEGER, b TEXT UNIQUE)");

        var error = await Assert.ThrowsAsync<SchemaException>(() => Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "loose"), Ct));

        Assert.Contains("Table loose has no primary key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_made_column_of_an_unsupported_declared_type_is_refused_naming_table_column_and_type()
    {
        await using var connection = new SqliteConnection(TestServers.NewSqliteDatabase());
        await connection.OpenAsync(Ct);
        await ExecuteAsync(connection, "CREATE TABLE shapes (id INTEGER PRIMARY KEY, outline GEOMETRY(4326), untyped)");

        var error = await Assert.ThrowsAsync<SchemaException>(() => Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "shapes"), Ct));

        Assert.Contains("Table shapes column outline has type GEOMETRY(4326), which repl cannot replicate. Supported SQLite types:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_table_is_reported_as_not_found()
    {
        await using var connection = new SqliteConnection(TestServers.NewSqliteDatabase());

        var error = await Assert.ThrowsAsync<SchemaException>(() => Sqlite.Catalog.ReadTableAsync(connection, new DbObjectName(null, "ghost"), Ct));

        Assert.Contains("ghost was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_tables_matches_case_insensitively_in_the_main_database_and_refuses_other_schemas()
    {
        await using var connection = new SqliteConnection(TestServers.NewSqliteDatabase());
        await connection.OpenAsync(Ct);
        await ExecuteAsync(connection, "CREATE TABLE \"SiteUsers\" (id INTEGER PRIMARY KEY); CREATE TABLE \"Straße\" (id INTEGER PRIMARY KEY); CREATE TABLE \"STRASSE\" (id INTEGER PRIMARY KEY)");

        Assert.Equal([new DbObjectName(null, "SiteUsers")], await Sqlite.Catalog.FindTablesAsync(connection, new DbObjectName(null, "siteusers"), Ct));
        Assert.Equal([new DbObjectName(null, "SiteUsers")], await Sqlite.Catalog.FindTablesAsync(connection, new DbObjectName("MAIN", "SITEUSERS"), Ct));
        Assert.Equal([new DbObjectName(null, "Straße")], await Sqlite.Catalog.FindTablesAsync(connection, new DbObjectName(null, "STRAßE"), Ct));
        Assert.Empty(await Sqlite.Catalog.FindTablesAsync(connection, new DbObjectName(null, "nothing"), Ct));
        var error = await Assert.ThrowsAsync<SchemaException>(() => Sqlite.Catalog.FindTablesAsync(connection, new DbObjectName("aux", "SiteUsers"), Ct));
        Assert.Contains("main database only", error.Message, StringComparison.Ordinal);
    }

    private static readonly string[] Hostile =
    [
        "with space",
        "it's",
        "say \"hi\"",
        "back`tick",
        "select",
        "order",
        "group",
        "MixedCase",
        "Ünïcödé 😀 表",
        "semi;colon -- not a comment",
    ];

    public static TheoryData<string> HostileNames => new(Hostile);

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_identifiers_survive_ddl_create_and_read_back(string hostile)
    {
        var columns = Hostile.Select((n, i) => Col(n, i % 2 == 0 ? new(CanonicalKind.Int32) : new CanonicalType(CanonicalKind.VarChar, Length: 40))).ToList();
        var others = columns.Where(c => c.Name != hostile).ToList();
        var table = TableDefinition.Create(new DbObjectName(null, hostile), columns,
            new KeyDefinition(null, [hostile]),
            [new KeyDefinition(null, [others[0].Name, others[1].Name])],
            [new IndexDefinition("ix", [others[2].Name, hostile], IsUnique: false)]);
        var target = new DbObjectName(null, hostile);
        await using var connection = await CreateAsync(table, target, suffix: Array.IndexOf(Hostile, hostile).ToString(CultureInfo.InvariantCulture));

        var found = await Sqlite.Catalog.FindTablesAsync(connection, new DbObjectName(null, hostile.ToUpperInvariant()), Ct);
        var read = await Sqlite.Catalog.ReadTableAsync(connection, target, Ct);

        Assert.Equal([target], found);
        Assert.Equal(target, read.Name);
        AssertSameColumns(table, read);
        Assert.Equal([hostile], read.Key.Columns);
        Assert.Equal([others[0].Name, others[1].Name], read.UniqueConstraints.Single().Columns);
        var index = read.Indexes.Single();
        Assert.Equal([others[2].Name, hostile], index.Columns);
        Assert.Equal(Sqlite.Identifiers.Derive(hostile, others[2].Name, hostile, "idx"), index.Name);
    }

    [Fact]
    public async Task Long_generated_names_are_shortened_through_derive_and_the_table_still_reads_back()
    {
        var longTable = new string('T', 600) + "😀";
        var longColumn = "col_" + new string('c', 500);
        var table = TableDefinition.Create(new DbObjectName(null, "short"),
            [Col("id", new(CanonicalKind.Int32)), Col(longColumn, new(CanonicalKind.Int32)), Col("other", new(CanonicalKind.Int32))],
            new KeyDefinition(null, ["id"]),
            [new KeyDefinition(null, [longColumn, "other"])],
            [new IndexDefinition("i", [longColumn, "other"], IsUnique: false), new IndexDefinition("j", ["other", longColumn], IsUnique: true)]);
        var target = new DbObjectName(null, longTable);
        await using var connection = await CreateAsync(table, target);

        var read = await Sqlite.Catalog.ReadTableAsync(connection, target, Ct);

        AssertSameColumns(table, read);
        Assert.Equal([[longColumn, "other"], ["other", longColumn]], read.Indexes.Select(i => i.Columns));
        Assert.All(read.Indexes, i => Assert.Equal(Sqlite.Identifiers.MaxLength, i.Name.Length));
        Assert.NotEqual(read.Indexes[0].Name, read.Indexes[1].Name);
        Assert.StartsWith(longTable, read.Indexes[0].Name, StringComparison.Ordinal);
    }
}
