using System.Data;
using System.Data.Common;

namespace Repl.Schema.Sqlite;

/// <summary>
/// Reads table definitions back from a SQLite slave through <c>sqlite_master</c> and the table-valued pragma functions.
/// Only the <c>main</c> database is read. SQLite keeps no constraint names (its <c>sqlite_autoindex_*</c> indexes are
/// internal), so the primary key and unique constraints come back unnamed; secondary indexes keep their names.
/// Identity is never reported: slaves receive every value from the master and generate none.
/// </summary>
public sealed class SqliteCatalog : ICatalogReader
{
    /// <summary>Every ordinary table of the main database; the case-insensitive match is done in code (NOCASE folds ASCII only).</summary>
    public const string TablesSql = """
        SELECT name
        FROM sqlite_master
        WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
        ORDER BY name
        """;

    /// <summary>Columns in declaration order; <c>pk</c> is the 1-based position in the primary key (0 when not in it).</summary>
    public const string ColumnsSql = """
        SELECT name, type, "notnull", pk, hidden
        FROM pragma_table_xinfo(@table)
        ORDER BY cid
        """;

    /// <summary>
    /// Unique constraints (origin <c>u</c>) and indexes (origin <c>c</c>) with their columns. <c>seq</c> counts from the
    /// newest index, so descending <c>seq</c> is declaration order. Expression columns have no name.
    /// </summary>
    public const string IndexesSql = """
        SELECT il.name, il."unique", il.origin, il.partial, ii.name AS column_name
        FROM pragma_index_list(@table) AS il
        JOIN pragma_index_info(il.name) AS ii
        WHERE il.origin IN ('u', 'c')
        ORDER BY il.seq DESC, ii.seqno
        """;

    private const string MainSchema = "main";

    private readonly SqliteTypeMap _types;

    /// <summary>Creates the reader over SQLite's type map.</summary>
    public SqliteCatalog(SqliteTypeMap types) => _types = types;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DbObjectName>> FindTablesAsync(DbConnection connection, DbObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        RequireMain(name);
        var names = await QueryAsync(connection, TablesSql, null, r => r.GetString(0), cancellationToken);
        return names.Where(n => string.Equals(n, name.Name, StringComparison.OrdinalIgnoreCase))
            .Select(n => new DbObjectName(null, n))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<TableDefinition> ReadTableAsync(DbConnection connection, DbObjectName table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        RequireMain(table);
        var columns = await QueryAsync(connection, ColumnsSql, table.Name,
            r => (Name: r.GetString(0), Type: r.IsDBNull(1) ? "" : r.GetString(1), NotNull: r.GetInt64(2) != 0, KeyPosition: r.GetInt64(3), Hidden: r.GetInt64(4)),
            cancellationToken);
        var indexRows = await QueryAsync(connection, IndexesSql, table.Name,
            r => (Name: r.GetString(0), Unique: r.GetInt64(1) != 0, Origin: r.GetString(2), Partial: r.GetInt64(3) != 0, Column: r.IsDBNull(4) ? null : r.GetString(4)),
            cancellationToken);

        var definitions = new List<ColumnDefinition>();
        foreach (var c in columns)
        {
            if (c.Hidden != 0)
                throw new SchemaException($"Table {table} column {c.Name} is a generated or hidden column, which a repl slave cannot receive values for. Drop the column or recreate the table with repl.");
            var type = _types.FromNative(table, c.Name, SqliteTypeMap.ParseDeclared(c.Type));
            definitions.Add(new ColumnDefinition(c.Name, type, !c.NotNull, IsIdentity: false, c.Type));
        }

        var keyColumns = columns.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToList();
        var primaryKey = keyColumns.Count > 0 ? new KeyDefinition(null, keyColumns) : null;

        var uniques = new List<KeyDefinition>();
        var indexes = new List<IndexDefinition>();
        foreach (var index in indexRows.GroupBy(r => r.Name))
        {
            var first = index.First();
            // Partial and expression indexes have no place in the table model and do not affect which rows are distinct.
            if (first.Partial || index.Any(r => r.Column is null))
                continue;
            var indexColumns = index.Select(r => r.Column!).ToList();
            if (string.Equals(first.Origin, "u", StringComparison.Ordinal))
                uniques.Add(new KeyDefinition(null, indexColumns));
            else
                indexes.Add(new IndexDefinition(index.Key, indexColumns, first.Unique));
        }

        return TableDefinition.Create(new DbObjectName(null, table.Name), definitions, primaryKey, uniques, indexes);
    }

    private static void RequireMain(DbObjectName name)
    {
        if (name.Schema is not null && !string.Equals(name.Schema, MainSchema, StringComparison.OrdinalIgnoreCase))
            throw new SchemaException($"Table {name} names the schema {name.Schema}, but repl reads SQLite slaves from their main database only. Drop the schema from the name.");
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, string? table, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var opened = false;
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
            opened = true;
        }
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (table is not null)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@table";
                parameter.Value = table;
                command.Parameters.Add(parameter);
            }
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(map(reader));
            return rows;
        }
        finally
        {
            if (opened)
                await connection.CloseAsync();
        }
    }
}
