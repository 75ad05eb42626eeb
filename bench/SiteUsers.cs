using System.Data.Common;
using MySqlConnector;
using Npgsql;
using Repl.Schema;
using Repl.Schema.MySql;
using Repl.Schema.PostgreSql;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// The book's SiteUsers table (chapter 8), the table every throughput benchmark moves: an integer key, a UNIQUE user name
/// (so PostgreSQL slaves carry a deferred unique constraint, as repl creates them) and five more columns, about 130 bytes a row.
/// Rows are generated on the server from their key, so every database holds the same values for the same keys.
/// </summary>
internal static class SiteUsers
{
    public const string Name = "siteusers";

    public const string Columns = "siteuserid, createddate, username, password, emailaddress, country, postalcode";

    public const string PostgreSqlTable =
        "CREATE TABLE siteusers (siteuserid integer PRIMARY KEY, createddate timestamp NOT NULL, username varchar(32) NOT NULL UNIQUE, " +
        "password varchar(80) NOT NULL, emailaddress varchar(255) NOT NULL, country varchar(3) NOT NULL, postalcode varchar(10) NOT NULL)";

    public const string MySqlTable =
        "CREATE TABLE siteusers (siteuserid int PRIMARY KEY, createddate datetime NOT NULL, username varchar(32) NOT NULL UNIQUE, " +
        "password varchar(80) NOT NULL, emailaddress varchar(255) NOT NULL, country varchar(3) NOT NULL, postalcode varchar(10) NOT NULL) ENGINE=InnoDB";

    /// <summary>Inserts keys <paramref name="from"/>..<paramref name="to"/> on a PostgreSQL master (one statement).</summary>
    public static string PostgreSqlInsert(long from, long to) => Invariant(
        $"INSERT INTO siteusers SELECT g, timestamp '2020-01-01' + g * interval '1 second', 'user' || g, md5(g::text), 'user' || g || '@example.com', ") +
        Invariant($"(ARRAY['US','DE','FR','JP','BR'])[1 + g % 5], lpad((g % 100000)::text, 5, '0') FROM generate_series({from}, {to}) g");

    /// <summary>The same rows on a MariaDB master (one statement; the sequence engine gives the keys).</summary>
    public static string MySqlInsert(long from, long to) => Invariant(
        $"INSERT INTO siteusers SELECT seq, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq SECOND, CONCAT('user', seq), MD5(seq), ") +
        Invariant($"CONCAT('user', seq, '@example.com'), ELT(1 + seq % 5, 'US','DE','FR','JP','BR'), LPAD(seq % 100000, 5, '0') FROM seq_{from}_to_{to}");

    /// <summary>Creates a PostgreSQL master holding keys 1..<paramref name="rows"/>; returns its connection string.</summary>
    public static async Task<string> PostgreSqlMasterAsync(string database, long rows)
    {
        var cs = await BenchServers.NewPostgreSqlAsync(database);
        await using var c = await BenchServers.OpenPostgreSqlAsync(cs);
        await BenchServers.Exec(c, PostgreSqlTable);
        for (long from = 1; from <= rows; from += 1_000_000)
            await BenchServers.Exec(c, PostgreSqlInsert(from, Math.Min(rows, from + 999_999)));
        await BenchServers.Exec(c, "VACUUM ANALYZE siteusers");
        return cs;
    }

    /// <summary>Creates a MariaDB master holding keys 1..<paramref name="rows"/>; returns its connection string.</summary>
    public static async Task<string> MySqlMasterAsync(string database, long rows)
    {
        var cs = await BenchServers.NewMySqlAsync(database);
        await using var c = await BenchServers.OpenMySqlAsync(cs);
        await BenchServers.Exec(c, MySqlTable);
        for (long from = 1; from <= rows; from += 1_000_000)
            await BenchServers.Exec(c, MySqlInsert(from, Math.Min(rows, from + 999_999)));
        await BenchServers.Exec(c, "ANALYZE TABLE siteusers");
        return cs;
    }

    /// <summary>
    /// Writes keys 1..<paramref name="rows"/> of a PostgreSQL database's siteusers to a tab-separated file with psql's \copy:
    /// the input of the vendors' own loaders (PostgreSQL COPY text format, which MariaDB's LOAD DATA reads as it is).
    /// </summary>
    public static async Task<string> ExportAsync(string postgreSqlConnectionString, long rows)
    {
        var path = Path.Combine(Path.GetTempPath(), "repl-bench", Invariant($"siteusers-{rows}.tsv"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Psql(postgreSqlConnectionString, Invariant($"\\copy (SELECT {Columns} FROM siteusers WHERE siteuserid <= {rows} ORDER BY siteuserid) TO '{path}'"));
        return path;
    }

    /// <summary>Reads the master's definition of siteusers, as repl does.</summary>
    public static async Task<TableDefinition> DefinitionAsync(DbConnection connection, SchemaDialect schema)
    {
        var found = await schema.Catalog.FindTablesAsync(connection, new DbObjectName(null, Name), CancellationToken.None);
        return await schema.Catalog.ReadTableAsync(connection, found.Single(), CancellationToken.None);
    }

    /// <summary>
    /// The vendor's own bulk loader: creates an empty table shaped exactly as repl creates slave tables (its slave DDL) in a
    /// fresh database, then loads the file with psql's \copy. Returns the load's wall time.
    /// </summary>
    public static async Task<TimeSpan> PostgreSqlCopyAsync(string database, TableDefinition table, string file)
    {
        var cs = await BenchServers.NewPostgreSqlAsync(database);
        await using (var c = await BenchServers.OpenPostgreSqlAsync(cs))
            foreach (var sql in PostgreSqlSchema.Dialect.Ddl.CreateTable(table, new DbObjectName(null, Name)))
                await BenchServers.Exec(c, sql);
        return await Bench.TimeAsync(() => Psql(cs, $"\\copy siteusers ({Columns}) FROM '{file}'"));
    }

    /// <summary>The same with the mariadb client's LOAD DATA LOCAL INFILE into a table made by repl's MariaDB slave DDL.</summary>
    public static async Task<TimeSpan> MySqlLoadDataAsync(string database, TableDefinition table, string file)
    {
        var cs = await BenchServers.NewMySqlAsync(database);
        await using (var c = await BenchServers.OpenMySqlAsync(cs))
            foreach (var sql in MySqlSchema.Dialect.Ddl.CreateTable(table, new DbObjectName(null, Name)))
                await BenchServers.Exec(c, sql);
        var b = new MySqlConnectionStringBuilder(cs);
        return await Bench.TimeAsync(() => Bench.RunAsync("mariadb",
            $"--local-infile=1 -h {b.Server} -P {b.Port} -u {b.UserID} {b.Database} -e \"LOAD DATA LOCAL INFILE '{file}' INTO TABLE siteusers ({Columns})\"",
            new Dictionary<string, string> { ["MYSQL_PWD"] = b.Password }));
    }

    /// <summary>Runs one psql command against a database.</summary>
    public static Task<string> Psql(string connectionString, string command)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return Bench.RunAsync(Path.Combine(BenchServers.PgBin, "psql"),
            Invariant($"-X -q -v ON_ERROR_STOP=1 -h {b.Host} -p {b.Port} -U {b.Username} -d {b.Database} -c \"{command.Replace("\"", "\\\"", StringComparison.Ordinal)}\""));
    }
}
