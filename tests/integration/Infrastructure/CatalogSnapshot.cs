using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Repl.Schema;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// A textual snapshot of everything in a database's catalog that init could create or change, to prove a dry run (or a
/// refused init) changed nothing and that uninstall leaves the catalog exactly as it was before init.
/// </summary>
public static class CatalogSnapshot
{
    private const string PostgreSqlObjects = """
        SELECT coalesce(string_agg(kind || ' ' || name, E'\n' ORDER BY kind, name), '') FROM (
            SELECT 'relation' AS kind, n.nspname || '.' || c.relname || ':' || c.relkind::text AS name
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            UNION ALL
            SELECT 'column', n.nspname || '.' || c.relname || '.' || a.attnum::text || ' ' || a.attname || ' '
                   || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            UNION ALL
            SELECT 'function', n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            UNION ALL
            SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL
            SELECT 'schema', nspname FROM pg_namespace) objects
        """;

    private const string MySqlObjects = """
        SELECT CONCAT('table ', TABLE_NAME, ':', TABLE_TYPE) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
        UNION ALL
        SELECT CONCAT('column ', TABLE_NAME, '.', ORDINAL_POSITION, ' ', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE)
          FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
        UNION ALL
        SELECT CONCAT('index ', TABLE_NAME, '.', INDEX_NAME, '.', SEQ_IN_INDEX, ' ', COLUMN_NAME)
          FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
        UNION ALL
        SELECT CONCAT('trigger ', TRIGGER_NAME, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ON ', EVENT_OBJECT_TABLE)
          FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
        UNION ALL
        SELECT CONCAT('routine ', ROUTINE_TYPE, ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
        """;

    private const string SqliteObjects = "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master";

    /// <summary>Every relation (tables, views, indexes, sequences), column, function, trigger and schema of a PostgreSQL database.</summary>
    public static async Task<string> PostgreSqlAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(PostgreSqlObjects, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every table and view, column, index, trigger, procedure and function of a MariaDB database.</summary>
    public static async Task<string> MySqlAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(MySqlObjects, connection);
        return await LinesAsync(command);
    }

    /// <summary>Every table, index, view and trigger of a SQLite database, with the SQL that created it.</summary>
    public static async Task<string> SqliteAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(SqliteObjects, connection);
        return await LinesAsync(command);
    }

    /// <summary>The snapshot of a database of any test vendor.</summary>
    public static Task<string> OfAsync(Vendor vendor, string connectionString) => vendor switch
    {
        Vendor.PostgreSql => PostgreSqlAsync(connectionString),
        Vendor.MySql => MySqlAsync(connectionString),
        Vendor.Sqlite => SqliteAsync(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    /// <summary>The snapshots of a replication's master and then of each of its nodes, in order.</summary>
    internal static async Task<IReadOnlyList<string>> OfEveryDatabaseAsync(Replication replication)
    {
        var snapshots = new List<string> { await OfAsync(replication.Master, replication.MasterConnectionString) };
        foreach (var (_, vendor, connectionString) in replication.Nodes)
            snapshots.Add(await OfAsync(vendor, connectionString));
        return snapshots;
    }

    // Sorted client-side: the servers' collations would order the lines differently.
    private static async Task<string> LinesAsync(System.Data.Common.DbCommand command)
    {
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }
}
