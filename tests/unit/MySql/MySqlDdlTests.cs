using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Tests.MySql;

public sealed class MySqlDdlTests
{
    private static readonly ISlaveDdl Ddl = MySqlSchema.Dialect.Ddl;

    private static ColumnDefinition Column(string name, CanonicalType type, bool nullable = true) =>
        new(name, type, nullable, IsIdentity: false, NativeType: type.ToString());

    [Fact]
    public void A_representative_table_gets_mapped_types_keys_and_generated_index_names()
    {
        var table = TableDefinition.Create(new DbObjectName("news", "SiteUsers"),
            [
                new ColumnDefinition("id", new(CanonicalKind.Int64), IsNullable: false, IsIdentity: true, NativeType: "bigint"),
                Column("email", new(CanonicalKind.VarChar, Length: 200), nullable: false),
                Column("display name", new(CanonicalKind.VarChar, Length: 100)),
                Column("is_admin", new(CanonicalKind.Boolean), nullable: false),
                Column("balance", new(CanonicalKind.Decimal, Precision: 12, Scale: 2)),
                Column("score", new(CanonicalKind.Float64)),
                Column("created_at", new(CanonicalKind.TimestampTz, Precision: 6), nullable: false),
                Column("birthday", new(CanonicalKind.Date)),
                Column("wake_up", new(CanonicalKind.Time, Precision: 0)),
                Column("avatar", new(CanonicalKind.Binary)),
                Column("profile", new(CanonicalKind.Json)),
                Column("external_id", new(CanonicalKind.Uuid)),
                Column("country", new(CanonicalKind.Char, Length: 2)),
                Column("bio", new(CanonicalKind.Text)),
            ],
            new KeyDefinition("PRIMARY", ["id"]),
            [new KeyDefinition("uq_email", ["email"])],
            [new IndexDefinition("ix_created", ["created_at"], IsUnique: false), new IndexDefinition("ix_name", ["display name", "birthday"], IsUnique: false)]);

        var statements = Ddl.CreateTable(table, new DbObjectName(null, "SiteUsers_snap1"));

        Assert.Equal(
            [
                """
                CREATE TABLE `SiteUsers_snap1` (
                  `id` bigint NOT NULL,
                  `email` varchar(200) NOT NULL,
                  `display name` varchar(100) NULL,
                  `is_admin` tinyint(1) NOT NULL,
                  `balance` decimal(12,2) NULL,
                  `score` double NULL,
                  `created_at` datetime(6) NOT NULL,
                  `birthday` date NULL,
                  `wake_up` time(0) NULL,
                  `avatar` longblob NULL,
                  `profile` json NULL,
                  `external_id` uuid NULL,
                  `country` char(2) NULL,
                  `bio` longtext NULL,
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `SiteUsers_snap1_email_key` (`email`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
                """.ReplaceLineEndings("\n"),
                "CREATE INDEX `SiteUsers_snap1_created_at_idx` ON `SiteUsers_snap1` (`created_at`)",
                "CREATE INDEX `SiteUsers_snap1_display name_birthday_idx` ON `SiteUsers_snap1` (`display name`, `birthday`)",
            ],
            statements);
    }

    [Fact]
    public void A_unique_not_null_stand_in_key_stays_a_unique_key_and_the_target_may_be_qualified()
    {
        var table = TableDefinition.Create(new DbObjectName("news", "Tags"),
            [Column("slug", new(CanonicalKind.VarChar, Length: 50), nullable: false), Column("label", new(CanonicalKind.Text))],
            primaryKey: null, [new KeyDefinition("uq_slug", ["slug"])], []);

        var statements = Ddl.CreateTable(table, new DbObjectName("replica", "Tags"));

        Assert.Single(statements);
        Assert.StartsWith("CREATE TABLE `replica`.`Tags` (\n  `slug` varchar(50) NOT NULL,\n  `label` longtext NULL,\n  UNIQUE KEY `Tags_slug_key` (`slug`)\n)",
            statements[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, "needs 4000 bytes (slug varchar(1000): 4000)")]
    [InlineData(null, "includes column slug of type text, which MariaDB cannot index in full")]
    public void A_key_MariaDB_cannot_index_in_full_is_refused_naming_table_and_column(int? length, string why)
    {
        var type = length is null ? new CanonicalType(CanonicalKind.Text) : new CanonicalType(CanonicalKind.VarChar, Length: length);
        var table = TableDefinition.Create(new DbObjectName("public", "Docs"), [Column("slug", type, nullable: false)],
            new KeyDefinition("docs_pkey", ["slug"]), [], []);

        var e = Assert.Throws<SchemaException>(() => Ddl.CreateTable(table, new DbObjectName(null, "Docs")));

        Assert.StartsWith($"Table public.Docs cannot be replicated to MariaDB table Docs: its key (slug) {why}. InnoDB indexes at most 3072 bytes per key",
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_768_character_varchar_key_fits_exactly()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Docs"),
            [Column("slug", new(CanonicalKind.VarChar, Length: 768), nullable: false)], new KeyDefinition("docs_pkey", ["slug"]), [], []);

        Assert.Contains("PRIMARY KEY (`slug`)", Ddl.CreateTable(table, new DbObjectName(null, "Docs"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Long_unique_keys_use_hash_and_long_secondary_indexes_share_the_key_bytes_as_prefixes()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Posts"),
            [
                Column("id", new(CanonicalKind.Int32), nullable: false),
                Column("body", new(CanonicalKind.Text)),
                Column("tag", new(CanonicalKind.VarChar, Length: 10)),
                Column("title", new(CanonicalKind.VarChar, Length: 1000)),
                Column("blob", new(CanonicalKind.Binary)),
                Column("at", new(CanonicalKind.Timestamp, Precision: 6)),
            ],
            new KeyDefinition("posts_pkey", ["id"]),
            [new KeyDefinition("uq_body", ["body"])],
            [
                new IndexDefinition("ix_body_tag", ["body", "tag"], IsUnique: false),
                new IndexDefinition("ix_title_blob_at", ["title", "blob", "at"], IsUnique: false),
                new IndexDefinition("ux_title", ["title", "tag"], IsUnique: true),
                new IndexDefinition("ix_tag", ["tag"], IsUnique: false),
                new IndexDefinition("ix_tag_again", ["tag"], IsUnique: false),
            ]);

        var statements = Ddl.CreateTable(table, new DbObjectName(null, "Posts"));

        Assert.Contains("  UNIQUE KEY `Posts_body_key` (`body`) USING HASH\n", statements[0], StringComparison.Ordinal);
        Assert.Equal(
            [
                // tag needs 40 bytes of its 1536-byte share; body takes the remaining 3032 bytes = 758 characters.
                "CREATE INDEX `Posts_body_tag_idx` ON `Posts` (`body`(758), `tag`)",
                // datetime takes 8 bytes; title and blob share 3064: 1532 bytes each = 383 characters and 1532 bytes.
                "CREATE INDEX `Posts_title_blob_at_idx` ON `Posts` (`title`(383), `blob`(1532), `at`)",
                "CREATE UNIQUE INDEX `Posts_title_tag_idx` ON `Posts` (`title`, `tag`) USING HASH",
                "CREATE INDEX `Posts_tag_idx` ON `Posts` (`tag`)",
            ],
            statements.Skip(1));
    }

    [Fact]
    public void Wide_varchar_columns_outside_keys_become_longtext_until_the_row_fits_65535_bytes()
    {
        var columns = new List<ColumnDefinition> { Column("id", new(CanonicalKind.Int64), nullable: false) };
        columns.AddRange(Enumerable.Range(0, 5).Select(i => Column($"c{i}", new(CanonicalKind.VarChar, Length: 4000))));
        var table = TableDefinition.Create(new DbObjectName("ORA", "NOTES"), columns, new KeyDefinition("PK", ["id"]), [],
            [new IndexDefinition("ix_c0", ["c0"], IsUnique: false)]);

        var create = Ddl.CreateTable(table, new DbObjectName(null, "NOTES"))[0];

        Assert.Contains("`c0` varchar(4000) NULL", create, StringComparison.Ordinal);
        Assert.Contains("`c1` longtext NULL", create, StringComparison.Ordinal);
        Assert.Equal(4, create.Split("varchar(4000)").Length - 1);
    }

    [Fact]
    public void A_column_name_MariaDB_cannot_hold_is_refused_naming_table_and_column()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Faces"),
            [Column("id", new(CanonicalKind.Int32), nullable: false), Column("mood🙂", new(CanonicalKind.Text))],
            new KeyDefinition("faces_pkey", ["id"]), [], []);

        var e = Assert.Throws<SchemaException>(() => Ddl.CreateTable(table, new DbObjectName(null, "Faces")));

        Assert.StartsWith("Table public.Faces column mood🙂: MariaDB cannot use the identifier 'mood🙂'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_whose_names_differ_only_in_case_are_refused_because_MariaDB_column_names_ignore_case()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "Cased"),
            [Column("id", new(CanonicalKind.Int32), nullable: false), Column("Name", new(CanonicalKind.Text)), Column("name", new(CanonicalKind.Text))],
            new KeyDefinition("cased_pkey", ["id"]), [], []);

        var e = Assert.Throws<SchemaException>(() => Ddl.CreateTable(table, new DbObjectName(null, "Cased")));

        Assert.StartsWith("Table public.Cased has columns Name and name, which MariaDB treats as one name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_name_whose_table_file_name_is_too_long_is_refused_with_what_to_do()
    {
        var table = TableDefinition.Create(new DbObjectName("public", "t"), [Column("id", new(CanonicalKind.Int32), nullable: false)],
            new KeyDefinition("t_pkey", ["id"]), [], []);
        var name = new string('表', 60);

        var e = Assert.Throws<SchemaException>(() => Ddl.CreateTable(table, new DbObjectName(null, name)));

        Assert.Contains($"MariaDB cannot create table {name}", e.Message, StringComparison.Ordinal);
        Assert.Contains("MySqlIdentifiers.Shorten", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Ddl.CreateTable(table, new DbObjectName(null, MySqlSchema.Dialect.Identifiers.Shorten(name))));
    }
}
