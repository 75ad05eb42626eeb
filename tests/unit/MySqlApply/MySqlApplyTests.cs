using MariaDbApply = Repl.Dialects.MySql.MySqlApply;
using Repl.Schema;
using Repl.Schema.MySql;

namespace Repl.Tests.MySqlApply;

public sealed class MySqlApplyTests
{
    private static readonly MariaDbApply Apply = new(MySqlSchema.Dialect);

    private static ColumnDefinition Column(string name, CanonicalType type, bool nullable = true) =>
        new(name, type, nullable, IsIdentity: false, NativeType: type.ToString());

    /// <summary>
    /// Composite key (tenant, `user id`) in an order unlike the columns, a UNIQUE constraint, a unique index and a unique index
    /// repeating the constraint, a hostile column name.
    /// </summary>
    private static readonly TableDefinition Members = TableDefinition.Create(new DbObjectName("news", "TeamMembers"),
        [
            Column("user id", new(CanonicalKind.Int64), nullable: false),
            Column("email", new(CanonicalKind.VarChar, Length: 200), nullable: false),
            Column("tenant", new(CanonicalKind.Char, Length: 8), nullable: false),
            Column("role`s", new(CanonicalKind.VarChar, Length: 20)),
            Column("avatar", new(CanonicalKind.Binary)),
            Column("joined_at", new(CanonicalKind.TimestampTz, Precision: 6)),
            Column("profile", new(CanonicalKind.Json)),
        ],
        new KeyDefinition("PRIMARY", ["tenant", "user id"]),
        [new KeyDefinition("uq_email", ["email"])],
        [new IndexDefinition("ix_role", ["role`s", "tenant"], IsUnique: true), new IndexDefinition("ix_email", ["email"], IsUnique: true)]);

    [Fact]
    public void The_apply_procedure_deletes_gone_keys_and_unique_values_other_keys_take_then_inserts_or_overwrites_by_key_and_empties_the_stage()
    {
        var statements = Apply.InstallRoutine(Members, new DbObjectName("replica", "TeamMembers"));

        Assert.Equal(
            [
                """
                CREATE OR REPLACE PROCEDURE `replica`.`repl_apply_teammembers`()
                MODIFIES SQL DATA
                BEGIN
                    DELETE t FROM `replica`.`repl_stage_teammembers` s STRAIGHT_JOIN `replica`.`TeamMembers` t ON t.`tenant` = s.`tenant` AND t.`user id` = s.`user id` WHERE NOT s.repl_present;
                    DELETE t FROM `replica`.`repl_stage_teammembers` s STRAIGHT_JOIN `replica`.`TeamMembers` t ON t.`email` = s.`email` WHERE s.repl_present AND NOT (t.`tenant` = s.`tenant` AND t.`user id` = s.`user id`);
                    DELETE t FROM `replica`.`repl_stage_teammembers` s STRAIGHT_JOIN `replica`.`TeamMembers` t ON t.`role``s` = s.`role``s` AND t.`tenant` = s.`tenant` WHERE s.repl_present AND NOT (t.`tenant` = s.`tenant` AND t.`user id` = s.`user id`);
                    INSERT INTO `replica`.`TeamMembers` (`user id`, `email`, `tenant`, `role``s`, `avatar`, `joined_at`, `profile`)
                        SELECT `user id`, `email`, `tenant`, `role``s`, `avatar`, `joined_at`, `profile` FROM `replica`.`repl_stage_teammembers` WHERE repl_present
                        ON DUPLICATE KEY UPDATE `email` = VALUES(`email`),
                            `role``s` = VALUES(`role``s`),
                            `avatar` = VALUES(`avatar`),
                            `joined_at` = VALUES(`joined_at`),
                            `profile` = VALUES(`profile`);
                    DELETE FROM `replica`.`repl_stage_teammembers`;
                END
                """.ReplaceLineEndings("\n"),
            ],
            statements);
    }

    [Fact]
    public void The_stage_has_the_slave_columns_all_nullable_with_the_slave_table_options_and_is_emptied_before_use()
    {
        var statements = Apply.StageStatements(Members, new DbObjectName(null, "TeamMembers"));

        Assert.Equal(
            [
                """
                CREATE TEMPORARY TABLE IF NOT EXISTS `repl_stage_teammembers` (
                    `user id` bigint NULL,
                    `email` varchar(200) NULL,
                    `tenant` char(8) NULL,
                    `role``s` varchar(20) NULL,
                    `avatar` longblob NULL,
                    `joined_at` datetime(6) NULL,
                    `profile` json NULL,
                    repl_present BOOLEAN NOT NULL
                ) ENGINE=Aria TRANSACTIONAL=0 ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
                """.ReplaceLineEndings("\n"),
                "DELETE FROM `repl_stage_teammembers`",
            ],
            statements);
    }

    [Fact]
    public void A_table_without_unique_keys_gets_only_the_key_delete()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Tags"),
            [Column("id", new(CanonicalKind.Int32), nullable: false), Column("label", new(CanonicalKind.Text))],
            new KeyDefinition("PRIMARY", ["id"]), [], [new IndexDefinition("ix_id", ["id"], IsUnique: true)]);

        var procedure = Apply.InstallRoutine(table, table.Name).Single();

        Assert.Equal(1, procedure.Split('\n').Count(l => l.TrimStart().StartsWith("DELETE t FROM", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_table_of_key_columns_only_overwrites_its_first_key_with_itself()
    {
        var table = TableDefinition.Create(new DbObjectName(null, "Pairs"),
            [Column("a", new(CanonicalKind.Int32), nullable: false), Column("b", new(CanonicalKind.Int32), nullable: false)],
            new KeyDefinition("PRIMARY", ["a", "b"]), [], []);

        var procedure = Apply.InstallRoutine(table, table.Name).Single();

        Assert.Contains("ON DUPLICATE KEY UPDATE `a` = VALUES(`a`);", procedure, StringComparison.Ordinal);
    }

    [Fact]
    public void Uninstall_drops_only_the_procedure()
    {
        var statements = Apply.UninstallRoutine(Members, new DbObjectName(null, "TeamMembers"));

        Assert.Equal(["DROP PROCEDURE IF EXISTS `repl_apply_teammembers`"], statements);
    }

    [Fact]
    public void Stage_columns_take_the_types_the_slave_table_was_created_with_after_row_fitting()
    {
        var wide = TableDefinition.Create(new DbObjectName(null, "Wide"),
            [Column("id", new(CanonicalKind.Int32), nullable: false), .. Enumerable.Range(1, 5).Select(i => Column($"c{i}", new(CanonicalKind.VarChar, Length: 4000)))],
            new KeyDefinition("PRIMARY", ["id"]), [], []);
        var create = MySqlSchema.Dialect.Ddl.CreateTable(wide, wide.Name)[0];

        var stage = Apply.StageStatements(wide, wide.Name)[0];

        foreach (var column in wide.Columns.Skip(1))
        {
            var created = create.Split('\n').Single(l => l.Contains($"`{column.Name}`", StringComparison.Ordinal)).Replace("NOT NULL", "NULL", StringComparison.Ordinal).Trim();
            var staged = stage.Split('\n').Single(l => l.Contains($"`{column.Name}`", StringComparison.Ordinal)).Trim().TrimEnd(',');
            Assert.Equal(created.TrimEnd(','), staged);
        }
    }
}
