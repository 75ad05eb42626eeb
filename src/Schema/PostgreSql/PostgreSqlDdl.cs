namespace Repl.Schema.PostgreSql;

/// <summary>
/// CREATE TABLE for a PostgreSQL slave: mapped column types and NOT NULL, the replication key, unique constraints
/// DEFERRABLE INITIALLY DEFERRED, then one CREATE INDEX per secondary index. Constraint and index names are derived
/// from the target table (<c>&lt;target&gt;_pkey</c>, <c>&lt;target&gt;_&lt;cols&gt;_key</c>, <c>&lt;target&gt;_&lt;cols&gt;_idx</c>).
/// Identity columns are plain columns here: their values come from the master.
/// </summary>
public sealed class PostgreSqlDdl(IIdentifierRules identifiers, ITypeMap types) : ISlaveDdl
{
    /// <inheritdoc />
    public IReadOnlyList<string> CreateTable(TableDefinition table, DbObjectName target)
    {
        var lines = table.Columns
            .Select(c => $"    {identifiers.Quote(c.Name)} {types.ToDdl(c.Type)}{(c.IsNullable ? "" : " NOT NULL")}")
            .ToList();

        var keyHasJson = table.KeyColumns.FirstOrDefault(c => c.Type.Kind == CanonicalKind.Json);
        if (keyHasJson is not null)
            throw new SchemaException(
                $"Table {table.Name}: key column {keyHasJson.Name} is JSON, and PostgreSQL's json type cannot be compared, " +
                "so it cannot be part of a key on a PostgreSQL slave. Choose a key without JSON columns.");

        // The key is not deferrable: the apply routine deletes every touched key before inserting, so it never needs a
        // deferred check, and an immediate key is cheaper. A UNIQUE stand-in stays UNIQUE so the slave reads back as the master does.
        lines.Add(table.KeySource == KeySource.PrimaryKey
            ? $"    CONSTRAINT {identifiers.Quote(identifiers.Derive(target.Name, "pkey"))} PRIMARY KEY ({ColumnList(table.Key.Columns)})"
            : $"    CONSTRAINT {identifiers.Quote(KeyName(target, table.Key.Columns))} UNIQUE ({ColumnList(table.Key.Columns)})");

        // Other unique rules are deferred to commit so that a transaction swapping two rows' unique values replays
        // row by row inside one slave transaction. A unique index from another vendor becomes such a constraint too,
        // since a unique index cannot be deferred.
        var uniqueColumnLists = table.UniqueConstraints.Select(u => u.Columns)
            .Concat(table.Indexes.Where(i => i.IsUnique).Select(i => i.Columns));
        var done = new List<IReadOnlyList<string>> { table.Key.Columns };
        foreach (var columns in uniqueColumnLists)
        {
            if (!Emittable(table, done, columns))
                continue;
            lines.Add($"    CONSTRAINT {identifiers.Quote(KeyName(target, columns))} UNIQUE ({ColumnList(columns)}) DEFERRABLE INITIALLY DEFERRED");
            done.Add(columns);
        }

        var statements = new List<string> { $"CREATE TABLE {identifiers.Quote(target)} (\n{string.Join(",\n", lines)}\n)" };
        var indexed = new List<IReadOnlyList<string>>();
        foreach (var index in table.Indexes)
        {
            if (index.IsUnique || !Emittable(table, indexed, index.Columns))
                continue;
            var name = identifiers.Derive([target.Name, .. index.Columns, "idx"]);
            statements.Add($"CREATE INDEX {identifiers.Quote(name)} ON {identifiers.Quote(target)} ({ColumnList(index.Columns)})");
            indexed.Add(index.Columns);
        }
        return statements;
    }

    /// <inheritdoc />
    public string AddColumn(DbObjectName target, ColumnDefinition column) =>
        $"ALTER TABLE {identifiers.Quote(target)} ADD COLUMN {identifiers.Quote(column.Name)} {types.ToDdl(column.Type)}";

    // Names derive from the columns, so a second rule over the same columns would collide (and add nothing); json has
    // no equality or btree operators in PostgreSQL, so a unique rule or index over a Json column cannot be created.
    private static bool Emittable(TableDefinition table, List<IReadOnlyList<string>> done, IReadOnlyList<string> columns) =>
        !done.Any(d => d.SequenceEqual(columns, StringComparer.Ordinal))
        && columns.All(c => table.Column(c).Type.Kind != CanonicalKind.Json);

    private string KeyName(DbObjectName target, IReadOnlyList<string> columns) => identifiers.Derive([target.Name, .. columns, "key"]);

    private string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(identifiers.Quote));
}
