using Npgsql;
using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.IntegrationTests.PostgreSql;

public sealed class PostgreSqlCatalogTests
{
    private static readonly SchemaDialect Pg = PostgreSqlSchema.Dialect;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TableDefinition> ReadAsync(NpgsqlConnection connection, string table, string? schema = "public") =>
        Pg.Catalog.ReadTableAsync(connection, new DbObjectName(schema, table), Ct);

    [Fact]
    public async Task Every_supported_native_type_maps_to_its_canonical_type_with_facets()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE TABLE all_types (
                id integer PRIMARY KEY,
                c_bool boolean, c_int2 smallint, c_int4 integer, c_int8 bigint,
                c_num numeric(12,3), c_num_free numeric, c_num_neg numeric(5,-2), c_num_tiny numeric(2,5), c_decimal decimal(10),
                c_real real, c_double double precision, c_float10 float(10), c_float40 float(40),
                c_char char(5), c_char1 char, c_bpchar bpchar, c_varchar varchar(20), c_varchar_free varchar, c_text text NOT NULL,
                c_bytea bytea, c_date date,
                c_time time, c_time3 time(3), c_ts timestamp, c_ts0 timestamp(0), c_tstz timestamptz, c_tstz3 timestamptz(3),
                c_uuid uuid, c_json json, c_jsonb jsonb
            )
            """);

        var table = await ReadAsync(db, "all_types");

        var expected = new (string Column, CanonicalType Type, string Native)[]
        {
            ("id", new(CanonicalKind.Int32), "integer"),
            ("c_bool", new(CanonicalKind.Boolean), "boolean"),
            ("c_int2", new(CanonicalKind.Int16), "smallint"),
            ("c_int4", new(CanonicalKind.Int32), "integer"),
            ("c_int8", new(CanonicalKind.Int64), "bigint"),
            ("c_num", new(CanonicalKind.Decimal, Precision: 12, Scale: 3), "numeric(12,3)"),
            ("c_num_free", new(CanonicalKind.Decimal), "numeric"),
            ("c_num_neg", new(CanonicalKind.Decimal, Precision: 7, Scale: 0), "numeric(5,-2)"),
            ("c_num_tiny", new(CanonicalKind.Decimal, Precision: 5, Scale: 5), "numeric(2,5)"),
            ("c_decimal", new(CanonicalKind.Decimal, Precision: 10, Scale: 0), "numeric(10,0)"),
            ("c_real", new(CanonicalKind.Float32), "real"),
            ("c_double", new(CanonicalKind.Float64), "double precision"),
            ("c_float10", new(CanonicalKind.Float32), "real"),
            ("c_float40", new(CanonicalKind.Float64), "double precision"),
            ("c_char", new(CanonicalKind.Char, Length: 5), "character(5)"),
            ("c_char1", new(CanonicalKind.Char, Length: 1), "character(1)"),
            ("c_bpchar", new(CanonicalKind.Char), "bpchar"),
            ("c_varchar", new(CanonicalKind.VarChar, Length: 20), "character varying(20)"),
            ("c_varchar_free", new(CanonicalKind.Text), "character varying"),
            ("c_text", new(CanonicalKind.Text), "text"),
            ("c_bytea", new(CanonicalKind.Binary), "bytea"),
            ("c_date", new(CanonicalKind.Date), "date"),
            ("c_time", new(CanonicalKind.Time, Precision: 6), "time without time zone"),
            ("c_time3", new(CanonicalKind.Time, Precision: 3), "time(3) without time zone"),
            ("c_ts", new(CanonicalKind.Timestamp, Precision: 6), "timestamp without time zone"),
            ("c_ts0", new(CanonicalKind.Timestamp, Precision: 0), "timestamp(0) without time zone"),
            ("c_tstz", new(CanonicalKind.TimestampTz, Precision: 6), "timestamp with time zone"),
            ("c_tstz3", new(CanonicalKind.TimestampTz, Precision: 3), "timestamp(3) with time zone"),
            ("c_uuid", new(CanonicalKind.Uuid), "uuid"),
            ("c_json", new(CanonicalKind.Json), "json"),
            ("c_jsonb", new(CanonicalKind.Json), "jsonb"),
        };
        Assert.Equal(expected.Select(e => e.Column), table.Columns.Select(c => c.Name));
        foreach (var (column, type, native) in expected)
        {
            Assert.Equal(type, table.Column(column).Type);
            Assert.Equal(native, table.Column(column).NativeType);
        }
        Assert.False(table.Column("c_text").IsNullable);
        Assert.True(table.Column("c_varchar").IsNullable);
        Assert.Equal(new DbObjectName("public", "all_types"), table.Name);
    }

    [Fact]
    public async Task Every_supported_type_survives_slave_ddl_and_reads_back_as_the_same_canonical_type()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE TABLE all_types (
                id integer PRIMARY KEY, c_bool boolean, c_int2 smallint, c_int8 bigint, c_num numeric(12,3), c_num_free numeric,
                c_num_neg numeric(5,-2), c_real real, c_double double precision, c_char char(5), c_bpchar bpchar, c_varchar varchar(20),
                c_varchar_free varchar, c_text text NOT NULL, c_bytea bytea, c_date date, c_time time, c_time3 time(3), c_ts timestamp,
                c_ts0 timestamp(0), c_tstz timestamptz, c_tstz3 timestamptz(3), c_uuid uuid, c_json json, c_jsonb jsonb
            )
            """);
        var master = await ReadAsync(db, "all_types");

        foreach (var statement in Pg.Ddl.CreateTable(master, new DbObjectName("public", "all_types_copy")))
            await db.ExecuteAsync(statement);
        var copy = await ReadAsync(db, "all_types_copy");

        Assert.Equal(master.Columns.Select(c => (c.Name, c.Type, c.IsNullable)), copy.Columns.Select(c => (c.Name, c.Type, c.IsNullable)));
    }

    [Fact]
    public async Task Serial_and_identity_columns_are_flagged_as_identity()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE TABLE ids (
                s serial PRIMARY KEY, ss smallserial, bs bigserial,
                ga bigint GENERATED ALWAYS AS IDENTITY, gd integer GENERATED BY DEFAULT AS IDENTITY,
                plain integer DEFAULT 5, other integer
            )
            """);

        var table = await ReadAsync(db, "ids");

        Assert.Equal(
            [("s", true), ("ss", true), ("bs", true), ("ga", true), ("gd", true), ("plain", false), ("other", false)],
            table.Columns.Select(c => (c.Name, c.IsIdentity)));
        Assert.Equal(new CanonicalType(CanonicalKind.Int16), table.Column("ss").Type);
        Assert.Equal(new CanonicalType(CanonicalKind.Int64), table.Column("bs").Type);
    }

    [Fact]
    public async Task Identity_columns_become_plain_columns_on_the_slave()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE ids (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, s serial)");
        var master = await ReadAsync(db, "ids");

        foreach (var statement in Pg.Ddl.CreateTable(master, new DbObjectName("public", "ids_copy")))
            await db.ExecuteAsync(statement);
        await db.ExecuteAsync("INSERT INTO ids_copy (id, s) VALUES (42, 7)");

        var copy = await ReadAsync(db, "ids_copy");
        Assert.All(copy.Columns, c => Assert.False(c.IsIdentity));
    }

    [Fact]
    public async Task Primary_key_column_order_is_the_declared_order_not_the_column_order()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE pk_order (a integer, b integer, c text, CONSTRAINT pk_order_ba PRIMARY KEY (b, a))");

        var table = await ReadAsync(db, "pk_order");

        Assert.Equal(KeySource.PrimaryKey, table.KeySource);
        Assert.Equal("pk_order_ba", table.Key.Name);
        Assert.Equal(["b", "a"], table.Key.Columns);
        Assert.Equal(["b", "a"], table.KeyColumns.Select(c => c.Name));
        Assert.Equal(["a", "b", "c"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Unique_constraints_unique_indexes_and_plain_btree_indexes_are_read_and_the_rest_skipped()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE TABLE things (
                id integer PRIMARY KEY, c integer, d integer, e integer, f integer, g integer, h text, doc jsonb,
                CONSTRAINT things_c_uq UNIQUE (c),
                CONSTRAINT things_ed_uq UNIQUE (e, d)
            );
            CREATE UNIQUE INDEX things_f_uix ON things (f);
            CREATE INDEX things_gc_ix ON things (g, c);
            CREATE INDEX things_g_incl_ix ON things (g) INCLUDE (h);
            CREATE INDEX things_lower_h_ix ON things (lower(h));
            CREATE INDEX things_partial_ix ON things (h) WHERE h IS NOT NULL;
            CREATE UNIQUE INDEX things_partial_uix ON things (d) WHERE d > 0;
            CREATE INDEX things_hash_ix ON things USING hash (h);
            CREATE INDEX things_gin_ix ON things USING gin (doc);
            """);

        var table = await ReadAsync(db, "things");

        Assert.Equal(["id"], table.Key.Columns);
        Assert.Equal(
            [("things_c_uq", "c"), ("things_ed_uq", "e,d"), ("things_f_uix", "f")],
            table.UniqueConstraints.Select(u => (u.Name, string.Join(',', u.Columns))));
        Assert.Equal(
            [("things_gc_ix", "g,c", false), ("things_g_incl_ix", "g", false)],
            table.Indexes.Select(i => (i.Name, string.Join(',', i.Columns), i.IsUnique)));
    }

    [Fact]
    public async Task Unsupported_point_column_is_refused_naming_table_column_and_type()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE \"Shapes\" (id integer PRIMARY KEY, \"where at\" point)");

        var error = await Assert.ThrowsAsync<SchemaException>(() => ReadAsync(db, "Shapes"));

        Assert.Equal(
            "Table public.Shapes column where at has type point, which repl cannot replicate. Supported PostgreSQL types: " +
            "boolean, smallint, integer, bigint, numeric, real, double precision, character, character varying, text, bytea, date, " +
            "time without time zone, timestamp without time zone, timestamp with time zone, uuid, json, jsonb.",
            error.Message);
    }

    [Theory]
    [InlineData("interval", "interval")]
    [InlineData("time(3) with time zone", "time(3) with time zone")]
    [InlineData("integer[]", "integer[]")]
    [InlineData("money", "money")]
    [InlineData("inet", "inet")]
    [InlineData("mood", "mood")]
    public async Task Other_unsupported_types_are_refused_with_their_full_type(string declared, string reported)
    {
        await using var db = await PostgreSqlDatabase.OpenAsync(suffix: declared);
        await db.ExecuteAsync("CREATE TYPE mood AS ENUM ('happy', 'sad')");
        await db.ExecuteAsync($"CREATE TABLE odd (id integer PRIMARY KEY, v {declared})");

        var error = await Assert.ThrowsAsync<SchemaException>(() => ReadAsync(db, "odd"));

        Assert.StartsWith($"Table public.odd column v has type {reported}, which repl cannot replicate.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_without_a_key_is_refused()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE loose (a integer, b text UNIQUE)");

        var error = await Assert.ThrowsAsync<SchemaException>(() => ReadAsync(db, "loose"));

        Assert.StartsWith("Table public.loose has no primary key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unique_not_null_constraint_stands_in_for_a_missing_primary_key()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE TABLE keyless (
                a integer, b text NOT NULL, c integer NOT NULL,
                CONSTRAINT keyless_a_uq UNIQUE (a),
                CONSTRAINT keyless_cb_uq UNIQUE (c, b)
            )
            """);

        var table = await ReadAsync(db, "keyless");

        Assert.Equal(KeySource.UniqueNotNull, table.KeySource);
        Assert.Equal("keyless_cb_uq", table.Key.Name);
        Assert.Equal(["c", "b"], table.Key.Columns);
        Assert.Equal(["keyless_a_uq"], table.UniqueConstraints.Select(u => u.Name));
    }

    [Fact]
    public async Task A_unique_not_null_stand_in_key_reads_back_the_same_from_the_slave_copy()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE TABLE keyless (a integer UNIQUE, b text NOT NULL, c integer NOT NULL, UNIQUE (c, b))");
        var master = await ReadAsync(db, "keyless");

        foreach (var statement in Pg.Ddl.CreateTable(master, new DbObjectName("public", "keyless_copy")))
            await db.ExecuteAsync(statement);
        var copy = await ReadAsync(db, "keyless_copy");

        Assert.Equal(KeySource.UniqueNotNull, copy.KeySource);
        Assert.Equal(["c", "b"], copy.Key.Columns);
        Assert.Equal(["a"], Assert.Single(copy.UniqueConstraints).Columns);
    }

    [Fact]
    public async Task A_missing_table_is_reported_by_name()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();

        var error = await Assert.ThrowsAsync<SchemaException>(() => ReadAsync(db, "nowhere"));

        Assert.StartsWith("Table public.nowhere was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_schema_the_table_on_the_search_path_is_read()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("CREATE SCHEMA hidden; CREATE TABLE hidden.t (x integer PRIMARY KEY); CREATE TABLE public.t (y integer PRIMARY KEY)");

        var table = await ReadAsync(db, "t", schema: null);

        Assert.Equal(new DbObjectName("public", "t"), table.Name);
        Assert.Equal(["y"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task FindTables_matches_case_insensitively_and_reports_every_candidate()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE TABLE "Foo" (id integer PRIMARY KEY);
            CREATE TABLE foo (id integer PRIMARY KEY);
            CREATE TABLE foobar (id integer PRIMARY KEY);
            CREATE VIEW "FOO_view" AS SELECT 1 AS x;
            CREATE SCHEMA repl;
            CREATE TABLE repl.foo (id integer PRIMARY KEY);
            """);

        var found = await Pg.Catalog.FindTablesAsync(db, new DbObjectName(null, "FOO"), Ct);

        Assert.Equal([new DbObjectName("public", "Foo"), new DbObjectName("public", "foo")], found);
    }

    [Fact]
    public async Task FindTables_matches_the_schema_case_insensitively_and_skips_system_schemas()
    {
        await using var db = await PostgreSqlDatabase.OpenAsync();
        await db.ExecuteAsync("""
            CREATE SCHEMA "Sales";
            CREATE TABLE "Sales"."Orders" (id integer PRIMARY KEY);
            CREATE TABLE public.orders (id integer PRIMARY KEY);
            """);

        Assert.Equal([new DbObjectName("Sales", "Orders")], await Pg.Catalog.FindTablesAsync(db, new DbObjectName("sales", "ORDERS"), Ct));
        Assert.Equal(2, (await Pg.Catalog.FindTablesAsync(db, new DbObjectName(null, "orders"), Ct)).Count);
        Assert.Empty(await Pg.Catalog.FindTablesAsync(db, new DbObjectName(null, "pg_class"), Ct));
        Assert.Empty(await Pg.Catalog.FindTablesAsync(db, new DbObjectName("information_schema", "sql_features"), Ct));
    }
}
