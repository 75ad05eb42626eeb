using Npgsql;
using Repl.Dialects.PostgreSql;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using static Repl.IntegrationTests.PostgreSqlApply.ApplyHarness;

namespace Repl.IntegrationTests.PostgreSqlApply;

/// <summary>
/// The PostgreSQL-to-PostgreSQL shortcut of snapshots: raw binary COPY between two servers is taken only when every
/// column has the same built-in type on both sides, and then moves every row intact.
/// </summary>
public sealed class PostgreSqlRawCopyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TableDefinition Source => TableDefinition.Create(new DbObjectName(null, "src"),
        [
            Column("id", new(CanonicalKind.Int32), nullable: false), Column("name", new(CanonicalKind.VarChar, Length: 40)),
            Column("amount", new(CanonicalKind.Decimal, Precision: 12, Scale: 2)), Column("payload", new(CanonicalKind.Binary)),
        ],
        new KeyDefinition("src_pkey", ["id"]), [], []);

    private const string SourceDdl = "CREATE TABLE src (id integer PRIMARY KEY, name varchar(40), amount numeric(12,2), payload bytea)";

    private const string Rows =
        "INSERT INTO src SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'name ü ' || g END, g / 100.0, CASE WHEN g % 5 = 0 THEN NULL ELSE '\\x00ff'::bytea END " +
        "FROM generate_series(1, 5000) g";

    [Fact]
    public async Task Identical_column_types_are_copied_raw_and_every_row_arrives_intact()
    {
        await using var master = await OpenAsync(await TestServers.NewPostgreSqlDatabaseAsync("master"), SourceDdl, Rows);
        await using var slave = await OpenAsync(await TestServers.NewPostgreSqlDatabaseAsync("slave"),
            "CREATE TABLE dst (id integer PRIMARY KEY, name varchar(40), amount numeric(12,2), payload bytea)");
        await using var transaction = await slave.BeginTransactionAsync(Ct);

        var copied = await PostgreSqlRawCopy.TryCopyAsync(master, slave, Pg.Identifiers, Source, new DbObjectName(null, "dst"),
            "SELECT id, name, amount, payload FROM src", "FORMAT BINARY", Ct);
        await transaction.CommitAsync(Ct);

        Assert.True(copied);
        var fingerprint = "SELECT count(*) || ':' || md5(string_agg(id || '|' || coalesce(name, '~') || '|' || amount || '|' || coalesce(encode(payload, 'hex'), '~'), ',' ORDER BY id)) FROM ";
        Assert.Equal(await ScalarAsync(master, fingerprint + "src"), await ScalarAsync(slave, fingerprint + "dst"));
    }

    [Fact]
    public async Task A_column_of_another_type_on_the_slave_declines_the_raw_copy_and_copies_nothing()
    {
        await using var master = await OpenAsync(await TestServers.NewPostgreSqlDatabaseAsync("master"), SourceDdl, Rows);
        // bigint instead of integer: raw int4 bytes would be misread as int8, so the shortcut must not be taken.
        await using var slave = await OpenAsync(await TestServers.NewPostgreSqlDatabaseAsync("slave"),
            "CREATE TABLE dst (id bigint PRIMARY KEY, name varchar(40), amount numeric(12,2), payload bytea)");
        await using var transaction = await slave.BeginTransactionAsync(Ct);

        var copied = await PostgreSqlRawCopy.TryCopyAsync(master, slave, Pg.Identifiers, Source, new DbObjectName(null, "dst"),
            "SELECT id, name, amount, payload FROM src", "FORMAT BINARY", Ct);
        await transaction.CommitAsync(Ct);

        Assert.False(copied);
        Assert.Equal("0", await ScalarAsync(slave, "SELECT count(*) FROM dst"));
    }

    [Fact]
    public async Task A_varchar_of_another_length_declines_the_raw_copy()
    {
        await using var master = await OpenAsync(await TestServers.NewPostgreSqlDatabaseAsync("master"), SourceDdl, Rows);
        await using var slave = await OpenAsync(await TestServers.NewPostgreSqlDatabaseAsync("slave"),
            "CREATE TABLE dst (id integer PRIMARY KEY, name varchar(20), amount numeric(12,2), payload bytea)");
        await using var transaction = await slave.BeginTransactionAsync(Ct);

        Assert.False(await PostgreSqlRawCopy.TryCopyAsync(master, slave, Pg.Identifiers, Source, new DbObjectName(null, "dst"),
            "SELECT id, name, amount, payload FROM src", "FORMAT BINARY", Ct));
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, params string[] statements)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync(Ct);
        }
        return connection;
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
