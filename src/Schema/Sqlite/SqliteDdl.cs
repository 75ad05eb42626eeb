using System.Text;

namespace Repl.Schema.Sqlite;

/// <summary>
/// Creates replicated tables on a SQLite slave: one CREATE TABLE with the columns, the key and the unique constraints,
/// then one CREATE INDEX per secondary index. Tables stay rowid tables (no WITHOUT ROWID): a single INTEGER key column
/// becomes the rowid alias, which is the fastest layout SQLite has.
/// </summary>
/// <remarks>
/// SQLite checks UNIQUE constraints row by row as each row is written and cannot defer them, so a swap of two rows'
/// unique values must be applied delete-first (delete both keys, then insert both rows) by the apply code; an UPDATE
/// or upsert that swaps them in place fails.
/// </remarks>
public sealed class SqliteDdl : ISlaveDdl
{
    private readonly SqliteIdentifiers _names;
    private readonly SqliteTypeMap _types;

    /// <summary>Creates the generator over SQLite's identifier rules and type map.</summary>
    public SqliteDdl(SqliteIdentifiers names, SqliteTypeMap types)
    {
        _names = names;
        _types = types;
    }

    /// <inheritdoc/>
    public string AddColumn(DbObjectName target, ColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"ALTER TABLE {_names.Quote(target)} ADD COLUMN {_names.Quote(column.Name)} {_types.ToDdl(column.Type)}";
    }

    /// <inheritdoc />
    public IReadOnlyList<string> CreateTable(TableDefinition table, DbObjectName target)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        var lines = new List<string>();
        foreach (var column in table.Columns)
        {
            // SQLite lets a non-INTEGER primary key hold NULL unless NOT NULL is spelled out.
            var notNull = !column.IsNullable || table.Key.Columns.Contains(column.Name);
            lines.Add($"{_names.Quote(column.Name)} {_types.ToDdl(column.Type)}{(notNull ? " NOT NULL" : "")}");
        }

        // A UNIQUE NOT NULL stand-in stays a UNIQUE constraint, listed first, so reading the slave back finds the same key.
        if (table.KeySource == KeySource.PrimaryKey)
            lines.Add($"CONSTRAINT {_names.Quote(_names.Derive(target.Name, "pkey"))} PRIMARY KEY ({ColumnList(table.Key.Columns)})");
        foreach (var unique in table.KeySource == KeySource.PrimaryKey ? table.UniqueConstraints : table.UniqueConstraints.Prepend(table.Key))
            lines.Add($"CONSTRAINT {_names.Quote(_names.Derive([target.Name, .. unique.Columns, "key"]))} UNIQUE ({ColumnList(unique.Columns)})");

        var create = new StringBuilder()
            .Append("CREATE TABLE ").Append(_names.Quote(target)).Append(" (\n    ")
            .AppendJoin(",\n    ", lines)
            .Append("\n)");
        var statements = new List<string> { create.ToString() };

        foreach (var index in table.Indexes)
        {
            // SQLite qualifies the index name, not the table, with the schema.
            var indexName = _names.Quote(new DbObjectName(target.Schema, _names.Derive([target.Name, .. index.Columns, "idx"])));
            statements.Add($"CREATE {(index.IsUnique ? "UNIQUE " : "")}INDEX {indexName} ON {_names.Quote(target.Name)} ({ColumnList(index.Columns)})");
        }
        return statements;
    }

    private string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(_names.Quote));
}
