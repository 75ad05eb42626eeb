using Repl.Schema;

namespace Repl.IntegrationTests.MySql;

public sealed class MySqlCatalogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_supported_native_type_maps_to_its_canonical_type_with_facets()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, """
            CREATE TABLE all_types (
              id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
              bool1 tinyint(1), bool2 boolean, tiny4 tinyint(4), tiny_u tinyint unsigned, bool_u tinyint(1) unsigned,
              small smallint, small_u smallint unsigned, medium mediumint, medium_u mediumint unsigned,
              i int, i_u int unsigned, i_zero int zerofill, big bigint, big_u bigint unsigned,
              dec12 decimal(12,3), dec_u decimal(10,2) unsigned, num numeric(65,30),
              f float, d double, r real,
              c char(3), vc varchar(200) NOT NULL, e enum('draft','published',''),
              tt tinytext, tx text, mt mediumtext, lt longtext, lt_check longtext CHECK (lt <> ''),
              j json, j_hand longtext CHECK (json_valid(j_hand)), j_table longtext, CONSTRAINT j_table_is_json CHECK (json_valid(j_table)),
              bn binary(16), vb varbinary(300), tb tinyblob, bl blob, mb mediumblob, lb longblob,
              dt date, tm time, tm3 time(3), dtm datetime, dtm6 datetime(6), ts timestamp(6) NULL, ts0 timestamp NULL, u uuid
            )
            """);

        var table = await MariaDb.ReadAsync(db, "all_types");

        var expected = new (string Name, CanonicalType Type)[]
        {
            ("id", new(CanonicalKind.Int32)),
            ("bool1", new(CanonicalKind.Boolean)), ("bool2", new(CanonicalKind.Boolean)), ("tiny4", new(CanonicalKind.Int16)),
            ("tiny_u", new(CanonicalKind.Int32)), ("bool_u", new(CanonicalKind.Int32)),
            ("small", new(CanonicalKind.Int16)), ("small_u", new(CanonicalKind.Int32)),
            ("medium", new(CanonicalKind.Int32)), ("medium_u", new(CanonicalKind.Int64)),
            ("i", new(CanonicalKind.Int32)), ("i_u", new(CanonicalKind.Int64)), ("i_zero", new(CanonicalKind.Int64)),
            ("big", new(CanonicalKind.Int64)), ("big_u", new(CanonicalKind.Decimal, Precision: 20, Scale: 0)),
            ("dec12", new(CanonicalKind.Decimal, Precision: 12, Scale: 3)), ("dec_u", new(CanonicalKind.Decimal, Precision: 10, Scale: 2)),
            ("num", new(CanonicalKind.Decimal, Precision: 65, Scale: 30)),
            ("f", new(CanonicalKind.Float32)), ("d", new(CanonicalKind.Float64)), ("r", new(CanonicalKind.Float64)),
            ("c", new(CanonicalKind.Char, Length: 3)), ("vc", new(CanonicalKind.VarChar, Length: 200)), ("e", new(CanonicalKind.VarChar, Length: 9)),
            ("tt", new(CanonicalKind.Text)), ("tx", new(CanonicalKind.Text)), ("mt", new(CanonicalKind.Text)), ("lt", new(CanonicalKind.Text)),
            ("lt_check", new(CanonicalKind.Text)),
            ("j", new(CanonicalKind.Json)), ("j_hand", new(CanonicalKind.Json)), ("j_table", new(CanonicalKind.Json)),
            ("bn", new(CanonicalKind.Binary, Length: 16)), ("vb", new(CanonicalKind.Binary, Length: 300)),
            ("tb", new(CanonicalKind.Binary)), ("bl", new(CanonicalKind.Binary)), ("mb", new(CanonicalKind.Binary)), ("lb", new(CanonicalKind.Binary)),
            ("dt", new(CanonicalKind.Date)), ("tm", new(CanonicalKind.Time, Precision: 0)), ("tm3", new(CanonicalKind.Time, Precision: 3)),
            ("dtm", new(CanonicalKind.Timestamp, Precision: 0)), ("dtm6", new(CanonicalKind.Timestamp, Precision: 6)),
            ("ts", new(CanonicalKind.TimestampTz, Precision: 6)), ("ts0", new(CanonicalKind.TimestampTz, Precision: 0)),
            ("u", new(CanonicalKind.Uuid)),
        };
        Assert.Equal(expected, table.Columns.Select(c => (c.Name, c.Type)).ToArray());
        Assert.Equal("tinyint(1)", table.Column("bool1").NativeType);
        Assert.Equal("bigint(20) unsigned", table.Column("big_u").NativeType);
        Assert.Equal("json", table.Column("j").NativeType);
        Assert.False(table.Column("vc").IsNullable);
        Assert.True(table.Column("c").IsNullable);
    }

    [Fact]
    public async Task Auto_increment_is_detected_as_identity()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE t (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, n int NOT NULL)");

        var table = await MariaDb.ReadAsync(db, "t");

        Assert.True(table.Column("id").IsIdentity);
        Assert.False(table.Column("n").IsIdentity);
    }

    [Fact]
    public async Task Primary_key_column_order_is_the_key_order_not_the_column_order()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int NOT NULL, PRIMARY KEY (c, a, b))");

        var table = await MariaDb.ReadAsync(db, "t");

        Assert.Equal(KeySource.PrimaryKey, table.KeySource);
        Assert.Equal(["c", "a", "b"], table.Key.Columns);
        Assert.Equal(["c", "a", "b"], table.KeyColumns.Select(c => c.Name));
    }

    [Fact]
    public async Task Unique_keys_and_secondary_indexes_are_read_with_their_column_order()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, """
            CREATE TABLE t (
              id int NOT NULL PRIMARY KEY, email varchar(100) NOT NULL, x int, y int, created_at datetime(6), body text,
              UNIQUE KEY uq_email (email), UNIQUE KEY uq_pair (y, x), KEY ix_created (created_at, id), KEY ix_body (body(20)),
              FULLTEXT KEY ft_body (body)
            )
            """);

        var table = await MariaDb.ReadAsync(db, "t");

        Assert.Equal(["id"], table.Key.Columns);
        Assert.Equal([("uq_email", "email"), ("uq_pair", "y,x")], table.UniqueConstraints.Select(u => (u.Name!, string.Join(",", u.Columns))));
        Assert.Equal([("ix_created", "created_at,id", false), ("ix_body", "body", false)],
            table.Indexes.Select(i => (i.Name, string.Join(",", i.Columns), i.IsUnique)));
    }

    [Fact]
    public async Task A_geometry_column_is_refused_naming_table_column_and_type()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE shapes (id int NOT NULL PRIMARY KEY, outline geometry, spot point)");

        var e = await Assert.ThrowsAsync<SchemaException>(() => MariaDb.ReadAsync(db, "shapes"));

        Assert.Equal(
            $"Table {db.Database}.shapes column outline has type geometry, which repl cannot replicate. Supported MariaDB types: " +
            "tinyint(1), tinyint, smallint, mediumint, int, bigint, decimal, float, double, char, varchar, enum, tinytext, text, " +
            "mediumtext, longtext, json, binary, varbinary, tinyblob, blob, mediumblob, longblob, date, time, datetime, timestamp, uuid " +
            "(integer types also unsigned).",
            e.Message);
    }

    [Fact]
    public async Task A_table_without_a_key_is_refused_and_a_unique_not_null_key_stands_in()
    {
        await using var db = await MariaDb.OpenAsync();
        await MariaDb.ExecuteAsync(db, "CREATE TABLE nokey (a int, b varchar(10), UNIQUE KEY uq_b (b))");
        await MariaDb.ExecuteAsync(db, "CREATE TABLE standin (a int NOT NULL, b varchar(10) NOT NULL, c int, UNIQUE KEY uq_c (c), UNIQUE KEY uq_ba (b, a))");

        var e = await Assert.ThrowsAsync<SchemaException>(() => MariaDb.ReadAsync(db, "nokey"));
        var table = await MariaDb.ReadAsync(db, "standin");

        Assert.StartsWith($"Table {db.Database}.nokey has no primary key, so repl cannot tell its rows apart.", e.Message, StringComparison.Ordinal);
        Assert.Equal(KeySource.UniqueNotNull, table.KeySource);
        Assert.Equal(["b", "a"], table.Key.Columns);
        Assert.Equal(["c"], Assert.Single(table.UniqueConstraints).Columns);
    }

    [Fact]
    public async Task A_missing_table_is_reported_by_name()
    {
        await using var db = await MariaDb.OpenAsync();

        var e = await Assert.ThrowsAsync<SchemaException>(() => MariaDb.ReadAsync(db, "nothere"));

        Assert.Contains($"{db.Database}.nothere was not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindTables_matches_case_insensitively_and_reports_every_candidate()
    {
        await using var db = await MariaDb.OpenAsync();
        foreach (var name in new[] { "Foo", "foo", "FOO", "food", "Ärger", "ärger", "arger" })
            await MariaDb.ExecuteAsync(db, $"CREATE TABLE {MariaDb.Rules.Quote(name)} (id int NOT NULL PRIMARY KEY)");
        await MariaDb.ExecuteAsync(db, "CREATE VIEW FoO AS SELECT id FROM foo");
        var catalog = MariaDb.Dialect.Catalog;

        var foo = await catalog.FindTablesAsync(db, new DbObjectName(null, "fOo"), Ct);
        var arger = await catalog.FindTablesAsync(db, new DbObjectName(null, "ÄRGER"), Ct);
        var qualified = await catalog.FindTablesAsync(db, new DbObjectName(db.Database.ToUpperInvariant(), "foo"), Ct);
        var none = await catalog.FindTablesAsync(db, new DbObjectName(null, "bar"), Ct);

        Assert.Equal(["FOO", "Foo", "foo"], foo.Select(t => t.Name));
        Assert.All(foo, t => Assert.Equal(db.Database, t.Schema));
        Assert.Equal(["Ärger", "ärger"], arger.Select(t => t.Name));
        Assert.Equal(foo, qualified);
        Assert.Empty(none);
    }
}
