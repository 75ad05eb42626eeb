using System.Data.Common;
using System.Globalization;

namespace Repl.Schema.MySql;

/// <summary>
/// Reads MariaDB tables from information_schema. The schema of a <see cref="DbObjectName"/> is the database; without
/// one, the connection's current database.
/// <para>
/// information_schema compares names in ways that fit neither use: <c>TABLE_NAME = 'FOO'</c> is case-sensitive (the
/// server looks the file up directly), while <c>LOWER(TABLE_NAME) = LOWER('x')</c> uses utf8mb3_general_ci and also
/// matches accented variants (<c>arger</c> for <c>Ärger</c>). So the SQL only narrows the rows and the final
/// comparison happens here: ordinal for exact names, ordinal-ignore-case for lookups.
/// </para>
/// <para>
/// The SQL targets MariaDB 10.7 or later (<c>CHECK_CONSTRAINTS.TABLE_NAME</c>, the uuid type). MariaDB's JSON is a
/// longtext with a <c>CHECK (json_valid(c))</c>: such a column reads as Json; MySQL's native json type does too.
/// FULLTEXT and SPATIAL indexes are not read: they are not B-tree indexes a slave could recreate as such.
/// </para>
/// </summary>
public sealed class MySqlCatalog : ICatalogReader
{
    /// <summary>The connection's current database.</summary>
    public const string CurrentDatabaseSql = "SELECT DATABASE()";

    /// <summary>Candidate tables for a case-insensitive lookup; @schema is the database.</summary>
    public const string FindTablesSql = """
        SELECT TABLE_SCHEMA, TABLE_NAME
        FROM information_schema.TABLES
        WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
          AND LOWER(TABLE_SCHEMA) = LOWER(@schema)
          AND LOWER(TABLE_NAME) = LOWER(@name)
        """;

    /// <summary>The columns of one table in order.</summary>
    public const string ColumnsSql = """
        SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE,
               DATETIME_PRECISION, IS_NULLABLE, EXTRA
        FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table
        ORDER BY ORDINAL_POSITION
        """;

    /// <summary>
    /// The key columns of every B-tree or hash index of one table. No ORDER BY on the index: rows come in the server's
    /// index order (PRIMARY, then UNIQUE NOT NULL keys in definition order, then the rest), the order in which
    /// <see cref="TableDefinition.Create"/> picks a stand-in key; parts are sorted by SEQ_IN_INDEX here.
    /// </summary>
    public const string IndexesSql = """
        SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME
        FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table AND INDEX_TYPE IN ('BTREE', 'HASH')
        """;

    /// <summary>The CHECK constraints of one table, for JSON detection.</summary>
    public const string ChecksSql = """
        SELECT TABLE_NAME, CHECK_CLAUSE
        FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = @schema AND TABLE_NAME = @table
        """;

    private const string PrimaryIndexName = "PRIMARY";

    private readonly MySqlIdentifiers identifiers;
    private readonly MySqlTypeMap types;

    /// <summary>Creates the reader over the vendor's identifier rules and type map.</summary>
    public MySqlCatalog(MySqlIdentifiers identifiers, MySqlTypeMap types)
    {
        this.identifiers = identifiers;
        this.types = types;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DbObjectName>> FindTablesAsync(DbConnection connection, DbObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var schema = name.Schema ?? await CurrentDatabaseAsync(connection, name, cancellationToken);
        var rows = await QueryAsync(connection, FindTablesSql, r => new DbObjectName(r.GetString(0), r.GetString(1)),
            cancellationToken, ("@schema", schema), ("@name", name.Name));
        // An unqualified name searches the current database only, not every database spelled like it.
        var schemaComparison = name.Schema is null ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return rows
            .Where(t => string.Equals(t.Schema, schema, schemaComparison) && string.Equals(t.Name, name.Name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Schema, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc/>
    public async Task<TableDefinition> ReadTableAsync(DbConnection connection, DbObjectName table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var schema = table.Schema ?? await CurrentDatabaseAsync(connection, table, cancellationToken);
        var name = new DbObjectName(schema, table.Name);
        (string, object?)[] parameters = [("@schema", schema), ("@table", table.Name)];

        var jsonClauses = (await QueryAsync(connection, ChecksSql, r => (Table: r.GetString(0), Clause: r.GetString(1)), cancellationToken, parameters))
            .Where(c => c.Table == table.Name)
            .Select(c => c.Clause)
            .ToHashSet(StringComparer.Ordinal);
        var columns = (await QueryAsync(connection, ColumnsSql, r => ReadColumn(r, name, jsonClauses), cancellationToken, parameters))
            .OfType<ColumnDefinition>()
            .ToList();

        var indexRows = await QueryAsync(connection, IndexesSql,
            r => (Table: r.GetString(0), Index: r.GetString(1), NonUnique: Int(r, 2) != 0, Seq: Int(r, 3) ?? 0, Column: r.GetString(4)),
            cancellationToken, parameters);
        var indexes = indexRows
            .Where(r => r.Table == table.Name)
            .GroupBy(r => r.Index, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, g.First().NonUnique, Columns: (IReadOnlyList<string>)g.OrderBy(r => r.Seq).Select(r => r.Column).ToList()))
            .ToList();

        var primary = indexes.Where(i => i.Name == PrimaryIndexName).Select(i => new KeyDefinition(i.Name, i.Columns)).FirstOrDefault();
        var uniques = indexes.Where(i => !i.NonUnique && i.Name != PrimaryIndexName).Select(i => new KeyDefinition(i.Name, i.Columns)).ToList();
        var secondary = indexes.Where(i => i.NonUnique).Select(i => new IndexDefinition(i.Name, i.Columns, IsUnique: false)).ToList();
        return TableDefinition.Create(name, columns, primary, uniques, secondary);
    }

    /// <summary>A column as ColumnDefinition, or null when the row belongs to a table whose name differs only in case.</summary>
    private ColumnDefinition? ReadColumn(DbDataReader row, DbObjectName table, HashSet<string> checkClauses)
    {
        if (row.GetString(0) != table.Name)
            return null;
        var column = row.GetString(1);
        var dataType = row.GetString(2);
        var isJson = string.Equals(dataType, "longtext", StringComparison.OrdinalIgnoreCase)
            && checkClauses.Contains($"json_valid({identifiers.Quote(column)})");
        var native = new NativeColumnType(
            TypeName: isJson ? "json" : dataType,
            Length: Int(row, 4),
            Precision: Int(row, 5) ?? Int(row, 7),
            Scale: Int(row, 6),
            FullType: isJson ? "json" : row.GetString(3));
        var type = types.FromNative(table, column, native);
        var isNullable = string.Equals(row.GetString(8), "YES", StringComparison.Ordinal);
        var isIdentity = row.GetString(9).Contains("auto_increment", StringComparison.OrdinalIgnoreCase);
        return new ColumnDefinition(column, type, isNullable, isIdentity, native.FullType!);
    }

    /// <summary>An unsigned catalog number as int; null when absent or beyond int (the 4 GB length of longtext).</summary>
    private static int? Int(DbDataReader row, int ordinal)
    {
        if (row.IsDBNull(ordinal))
            return null;
        var value = Convert.ToDecimal(row.GetValue(ordinal), CultureInfo.InvariantCulture);
        return value <= int.MaxValue ? (int)value : null;
    }

    private static async Task<string> CurrentDatabaseAsync(DbConnection connection, DbObjectName name, CancellationToken cancellationToken)
    {
        var database = (await QueryAsync(connection, CurrentDatabaseSql, r => r.IsDBNull(0) ? null : r.GetString(0), cancellationToken)).Single();
        return database ?? throw new SchemaException(
            $"Cannot look up table {name} on MariaDB: the connection has no current database. Add Database=... to the " +
            "connection string, or write the table as database.table.");
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> map,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (parameterName, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameterName;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(map(reader));
        return rows;
    }
}
