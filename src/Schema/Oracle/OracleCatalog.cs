using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Repl.Schema.Oracle;

/// <summary>
/// Reads table definitions from Oracle's ALL_* dictionary views through plain ADO.NET (<see cref="DbConnection"/>), so
/// repl needs no reference to the Oracle driver: the user's ODP.NET connection is passed in at run time. This half
/// holds the catalog SQL and the fetching; <c>OracleCatalog.Rows.cs</c> maps the fetched rows to a
/// <see cref="TableDefinition"/> and is unit-tested on its own. Not run against a live Oracle here.
/// </summary>
/// <remarks>
/// ODP.NET binds parameters by position unless <c>BindByName</c> is set. Every query names <c>:owner</c> before
/// <c>:table_name</c>, each exactly once, and the parameters are added in that order, so both binding modes agree.
/// Without a schema the current schema (<c>SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')</c>) is read.
/// </remarks>
public sealed partial class OracleCatalog : ICatalogReader
{
    /// <summary>The schema unqualified names resolve to.</summary>
    public const string CurrentSchemaSql = """
        SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL
        """;

    /// <summary>Tables whose owner and name match case-insensitively, leaving out dropped (recycle bin), nested and secondary tables.</summary>
    public const string TablesSql = """
        SELECT owner, table_name
        FROM all_tables
        WHERE UPPER(owner) = UPPER(:owner)
          AND UPPER(table_name) = UPPER(:table_name)
          AND dropped = 'NO'
          AND nested = 'NO'
          AND secondary = 'N'
        ORDER BY owner, table_name
        """;

    /// <summary>Columns in table order with every facet the type map needs.</summary>
    public const string ColumnsSql = """
        SELECT column_name, data_type, data_length, char_length, char_used,
               data_precision, data_scale, nullable, identity_column
        FROM all_tab_columns
        WHERE owner = :owner
          AND table_name = :table_name
        ORDER BY column_id
        """;

    /// <summary>Enabled primary key (P) and unique (U) constraints with their columns in key order.</summary>
    public const string ConstraintsSql = """
        SELECT c.constraint_name, c.constraint_type, cc.column_name, cc.position
        FROM all_constraints c
        JOIN all_cons_columns cc
          ON cc.owner = c.owner
         AND cc.table_name = c.table_name
         AND cc.constraint_name = c.constraint_name
        WHERE c.owner = :owner
          AND c.table_name = :table_name
          AND c.constraint_type IN ('P', 'U')
          AND c.status = 'ENABLED'
        ORDER BY c.constraint_type, c.constraint_name, cc.position
        """;

    /// <summary>
    /// Plain (B-tree, reverse-key and bitmap) indexes that do not back a primary key or unique constraint; function-based,
    /// LOB, domain and IOT indexes have no place in the table model.
    /// </summary>
    public const string IndexesSql = """
        SELECT i.index_name, i.uniqueness, ic.column_name, ic.column_position
        FROM all_indexes i
        JOIN all_ind_columns ic
          ON ic.index_owner = i.owner
         AND ic.index_name = i.index_name
        WHERE i.table_owner = :owner
          AND i.table_name = :table_name
          AND i.index_type IN ('NORMAL', 'NORMAL/REV', 'BITMAP')
          AND NOT EXISTS (
              SELECT 1
              FROM all_constraints c
              WHERE c.owner = i.table_owner
                AND c.table_name = i.table_name
                AND c.index_owner = i.owner
                AND c.index_name = i.index_name
                AND c.constraint_type IN ('P', 'U'))
        ORDER BY i.index_name, ic.column_position
        """;

    private readonly OracleTypeMap _types;

    /// <summary>Creates the reader over Oracle's type map.</summary>
    public OracleCatalog(OracleTypeMap types) => _types = types;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DbObjectName>> FindTablesAsync(DbConnection connection, DbObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await WithOpenConnectionAsync(connection, async () =>
        {
            var owner = name.Schema ?? await CurrentSchemaAsync(connection, cancellationToken);
            return (IReadOnlyList<DbObjectName>)await QueryAsync(connection, TablesSql, owner, name.Name,
                r => new DbObjectName(r.GetString(0), r.GetString(1)), cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TableDefinition> ReadTableAsync(DbConnection connection, DbObjectName table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return await WithOpenConnectionAsync(connection, async () =>
        {
            var owner = table.Schema ?? await CurrentSchemaAsync(connection, cancellationToken);
            var columns = await QueryAsync(connection, ColumnsSql, owner, table.Name, r => new OracleColumnRow(
                r.GetString(0), r.GetString(1), Int(r, 2) ?? 0, Int(r, 3), Text(r, 4), Int(r, 5), Int(r, 6), r.GetString(7), Text(r, 8) ?? "NO"),
                cancellationToken);
            var keys = await QueryAsync(connection, ConstraintsSql, owner, table.Name, r => new OracleKeyRow(
                r.GetString(0), r.GetString(1), r.GetString(2), Int(r, 3) ?? 0), cancellationToken);
            var indexes = await QueryAsync(connection, IndexesSql, owner, table.Name, r => new OracleIndexRow(
                r.GetString(0), r.GetString(1), r.GetString(2), Int(r, 3) ?? 0), cancellationToken);
            return ToTable(new DbObjectName(owner, table.Name), columns, keys, indexes);
        }, cancellationToken);
    }

    private static async Task<string> CurrentSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = CurrentSchemaSql;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture)
            ?? throw new SchemaException("Oracle reported no current schema; qualify the table name as SCHEMA.TABLE.");
    }

    private static async Task<T> WithOpenConnectionAsync<T>(DbConnection connection, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (connection.State == ConnectionState.Open)
            return await work();
        await connection.OpenAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, string owner, string tableName,
        Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "owner", owner);
        AddParameter(command, "table_name", tableName);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(map(reader));
        return rows;
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // ODP.NET returns NUMBER columns such as DATA_LENGTH as decimal.
    private static int? Int(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
