using Npgsql;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>A textual snapshot of everything in a database's catalog that init could create, to prove a dry run changed nothing.</summary>
public static class CatalogSnapshot
{
    private const string PostgreSqlObjects = """
        SELECT string_agg(kind || ' ' || name, E'\n' ORDER BY kind, name) FROM (
            SELECT 'relation' AS kind, n.nspname || '.' || c.relname || ':' || c.relkind::text AS name
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            UNION ALL
            SELECT 'function', n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            UNION ALL
            SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL
            SELECT 'schema', nspname FROM pg_namespace) objects
        """;

    /// <summary>Every relation, function, trigger and schema of a PostgreSQL database.</summary>
    public static async Task<string> PostgreSqlAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(PostgreSqlObjects, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
