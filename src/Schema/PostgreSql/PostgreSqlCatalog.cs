using System.Data;
using System.Data.Common;

namespace Repl.Schema.PostgreSql;

/// <summary>
/// Reads table definitions from pg_catalog on an open connection: columns in attnum order with canonical types,
/// the primary key in its declared column order, unique constraints and plain secondary indexes.
/// </summary>
public sealed class PostgreSqlCatalog(ITypeMap types) : ICatalogReader
{
    // The pg_ prefix is reserved for system schemas (pg_catalog, pg_toast*, pg_temp_*); repl is the tool's own schema.
    private const string FindTablesSql = """
        SELECT n.nspname, c.relname
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND lower(c.relname) = lower(@name)
          AND (@schema IS NULL OR lower(n.nspname) = lower(@schema))
          AND n.nspname NOT LIKE 'pg\_%'
          AND n.nspname NOT IN ('information_schema', 'repl')
        ORDER BY n.nspname, c.relname
        """;

    // Without a schema the table is the one the search_path finds, as an unqualified name in SQL would.
    private const string ResolveTableSql = """
        SELECT c.oid::bigint, n.nspname, c.relname
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND c.relname = @name
          AND (n.nspname = @schema OR (@schema IS NULL AND pg_catalog.pg_table_is_visible(c.oid)))
        """;

    // Facets decoded from atttypmod as PostgreSQL stores them: character lengths and numeric typmods are offset by
    // VARHDRSZ (4); numeric packs precision in the high 16 bits and an 11-bit signed scale (negative since PG 15) in
    // the low bits; time and timestamp typmods are the fractional digits. -1 means "not declared".
    private const string ColumnsSql = """
        SELECT a.attname,
               pg_catalog.format_type(a.atttypid, NULL) AS type_name,
               pg_catalog.format_type(a.atttypid, a.atttypmod) AS full_type,
               CASE WHEN a.atttypid IN ('pg_catalog.bpchar'::pg_catalog.regtype, 'pg_catalog.varchar'::pg_catalog.regtype)
                         AND a.atttypmod >= 4
                    THEN a.atttypmod - 4 END AS length,
               CASE WHEN a.atttypid = 'pg_catalog.numeric'::pg_catalog.regtype AND a.atttypmod >= 4
                    THEN ((a.atttypmod - 4) >> 16) & 65535
                    WHEN a.atttypid IN ('pg_catalog.time'::pg_catalog.regtype, 'pg_catalog.timestamp'::pg_catalog.regtype,
                                        'pg_catalog.timestamptz'::pg_catalog.regtype)
                         AND a.atttypmod >= 0
                    THEN a.atttypmod END AS precision,
               CASE WHEN a.atttypid = 'pg_catalog.numeric'::pg_catalog.regtype AND a.atttypmod >= 4
                    THEN (((a.atttypmod - 4) & 2047) # 1024) - 1024 END AS scale,
               NOT a.attnotnull AS is_nullable,
               a.attidentity IN ('a', 'd')
                 OR coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false) AS is_identity
        FROM pg_catalog.pg_attribute a
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = @table::oid AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    // Primary key and unique constraints in conkey order, plus unique indexes that back no constraint: PostgreSQL
    // enforces both alike, and reporting such an index as a unique constraint lets it stand in for a missing primary
    // key and makes slaves declare it DEFERRABLE (a unique index cannot be, and unique swaps would then fail on replay).
    // Expression and partial unique indexes are skipped: a key is a list of columns, and a partial index does not make
    // the whole table unique. Rows come in index creation order, so the first stand-in key is stable across copies.
    private const string KeysSql = """
        SELECT con.contype::text AS kind, con.conname AS name, con.conindid::bigint AS index_id, k.ord, a.attname
        FROM pg_catalog.pg_constraint con
        CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
        WHERE con.conrelid = @table::oid AND con.contype IN ('p', 'u')
        UNION ALL
        SELECT 'u', ic.relname, i.indexrelid::bigint, k.ord, a.attname
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = @table::oid AND i.indisunique AND i.indisvalid
          AND i.indexprs IS NULL AND i.indpred IS NULL AND k.ord <= i.indnkeyatts
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                          WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
        ORDER BY index_id, ord
        """;

    // Plain btree indexes that back no constraint, key columns only (INCLUDE columns are payload). Skipped: expression
    // indexes (the model holds column lists, and the expression may not exist on another vendor), partial indexes (the
    // predicate would be lost, widening the index), and other access methods (gin, gist, hash, brin need operator
    // classes or extensions a slave may lack, and a btree stand-in could reject long values a gin index accepts).
    private const string IndexesSql = """
        SELECT 'i' AS kind, ic.relname AS name, i.indexrelid::bigint AS index_id, k.ord, a.attname
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = @table::oid AND NOT i.indisunique AND i.indisvalid AND am.amname = 'btree'
          AND i.indexprs IS NULL AND i.indpred IS NULL AND k.ord <= i.indnkeyatts
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                          WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
        ORDER BY index_id, ord
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DbObjectName>> FindTablesAsync(DbConnection connection, DbObjectName name, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, FindTablesSql, ("name", name.Name), ("schema", name.Schema));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<DbObjectName>();
        while (await reader.ReadAsync(cancellationToken))
            found.Add(new DbObjectName(reader.GetString(0), reader.GetString(1)));
        return found;
    }

    /// <inheritdoc />
    public async Task<TableDefinition> ReadTableAsync(DbConnection connection, DbObjectName table, CancellationToken cancellationToken)
    {
        var (id, name) = await ResolveAsync(connection, table, cancellationToken);
        var columns = await ReadColumnsAsync(connection, id, name, cancellationToken);

        KeyDefinition? primaryKey = null;
        var uniques = new List<KeyDefinition>();
        foreach (var (kind, keyName, keyColumns) in await ReadColumnListsAsync(connection, KeysSql, id, cancellationToken))
        {
            var key = new KeyDefinition(keyName, keyColumns);
            if (kind == "p")
                primaryKey = key;
            else
                uniques.Add(key);
        }

        var indexes = (await ReadColumnListsAsync(connection, IndexesSql, id, cancellationToken))
            .Select(i => new IndexDefinition(i.Name, i.Columns, IsUnique: false))
            .ToList();
        return TableDefinition.Create(name, columns, primaryKey, uniques, indexes);
    }

    private static async Task<(long Id, DbObjectName Name)> ResolveAsync(DbConnection connection, DbObjectName table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, ResolveTableSql, ("name", table.Name), ("schema", table.Schema));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new SchemaException(
                $"Table {table} was not found in database {connection.Database}. Check the table name in the config " +
                "(schema.table is accepted) and that the connecting user may see it.");
        return (reader.GetInt64(0), new DbObjectName(reader.GetString(1), reader.GetString(2)));
    }

    private async Task<List<ColumnDefinition>> ReadColumnsAsync(DbConnection connection, long id, DbObjectName table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, ColumnsSql, ("table", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<ColumnDefinition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var column = reader.GetString(0);
            var fullType = reader.GetString(2);
            var native = new NativeColumnType(reader.GetString(1), NullableInt(reader, 3), NullableInt(reader, 4), NullableInt(reader, 5), fullType);
            columns.Add(new ColumnDefinition(column, types.FromNative(table, column, native), reader.GetBoolean(6), reader.GetBoolean(7), fullType));
        }
        return columns;
    }

    // Rows of (kind, name, index id, ordinal, column) ordered by index then ordinal, folded into one column list per index.
    private static async Task<List<(string Kind, string Name, IReadOnlyList<string> Columns)>> ReadColumnListsAsync(
        DbConnection connection, string sql, long id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, ("table", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lists = new List<(string Kind, string Name, IReadOnlyList<string> Columns)>();
        long? current = null;
        List<string> columns = [];
        while (await reader.ReadAsync(cancellationToken))
        {
            var indexId = reader.GetInt64(2);
            if (indexId != current)
            {
                current = indexId;
                columns = [];
                lists.Add((reader.GetString(0), reader.GetString(1), columns));
            }
            columns.Add(reader.GetString(4));
        }
        return lists;
    }

    private static int? NullableInt(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameter.DbType = value is long ? DbType.Int64 : DbType.String;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
