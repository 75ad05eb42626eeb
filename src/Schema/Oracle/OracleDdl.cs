using System.Text;

namespace Repl.Schema.Oracle;

/// <summary>
/// Creates replicated tables on an Oracle slave: one CREATE TABLE with the columns, inline CHECKs, the key and the
/// unique constraints, then one CREATE INDEX per secondary index; statements carry no trailing semicolon, as ADO.NET
/// requires. Golden-tested, not run against a live Oracle here.
/// </summary>
/// <remarks>
/// Deliberate differences from the master, all forced by Oracle:
/// <list type="bullet">
/// <item>Oracle stores '' as NULL, so non-key character and binary columns are created nullable even when the master's
/// are NOT NULL; otherwise every master row holding an empty string would be refused by the slave.</item>
/// <item>A key column whose type would be a CLOB or BLOB is written as VARCHAR2(4000 CHAR) or RAW(2000), because Oracle
/// cannot index LOBs; unique constraints and indexes over other LOB columns are left out (the master already enforces
/// the uniqueness, the slave only mirrors it).</item>
/// <item>Oracle cannot make a TIMESTAMP WITH TIME ZONE part of a primary key or unique constraint (ORA-02329): such a
/// key column is a TIMESTAMP(p) holding UTC, and another unique constraint over one is created as a UNIQUE INDEX
/// (which Oracle accepts, as a function-based index) under the constraint's generated name.</item>
/// <item>A unique constraint or index over exactly the columns of the key or of an earlier constraint or index is left
/// out: Oracle refuses a second index on the same column list (ORA-01408, ORA-02261).</item>
/// <item>A UNIQUE NOT NULL stand-in key is written as the first UNIQUE constraint, not as a primary key.</item>
/// </list>
/// Names longer than the identifier limit are refused rather than shortened, because slave tables keep the master's
/// column names; generated constraint and index names are shortened through <see cref="OracleIdentifiers.Derive"/>.
/// </remarks>
public sealed class OracleDdl : ISlaveDdl
{
    private readonly OracleIdentifiers _names;
    private readonly OracleTypeMap _types;

    /// <summary>Creates the generator over Oracle's identifier rules and type map.</summary>
    public OracleDdl(OracleIdentifiers names, OracleTypeMap types)
    {
        _names = names;
        _types = types;
    }

    /// <inheritdoc/>
    public string AddColumn(DbObjectName target, ColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"ALTER TABLE {_names.Quote(target)} ADD ({_names.Quote(column.Name)} {_types.ToDdl(column.Type)})";
    }

    /// <inheritdoc />
    public IReadOnlyList<string> CreateTable(TableDefinition table, DbObjectName target)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        RequireFits(target, target.Schema, "schema");
        RequireFits(target, target.Name, "table name");
        var key = table.Key.Columns.ToHashSet(StringComparer.Ordinal);

        var lines = new List<string>();
        foreach (var column in table.Columns)
        {
            RequireFits(target, column.Name, "column name");
            var name = _names.Quote(column.Name);
            var isKey = key.Contains(column.Name);
            var notNull = isKey || (!column.IsNullable && !OracleTypeMap.EmptyIsNull(column.Type));
            var check = OracleTypeMap.CheckFor(column.Type, name);
            lines.Add($"{name} {(isKey ? _types.ToKeyDdl(column.Type) : _types.ToDdl(column.Type))}{(notNull ? " NOT NULL" : "")}{(check is null ? "" : " " + check)}");
        }

        // Oracle cannot index LOBs (key columns are already indexable) nor index one column list twice.
        var indexed = new List<IReadOnlyList<string>>();
        bool Wanted(IReadOnlyList<string> columns)
        {
            if (columns.Any(c => !key.Contains(c) && _types.IsLob(table.Column(c).Type))
                || indexed.Any(i => i.SequenceEqual(columns, StringComparer.Ordinal)))
                return false;
            indexed.Add(columns);
            return true;
        }

        if (table.KeySource == KeySource.PrimaryKey)
        {
            indexed.Add(table.Key.Columns);
            lines.Add($"CONSTRAINT {_names.Quote(_names.Derive(target.Name, "pkey"))} PRIMARY KEY ({ColumnList(table.Key.Columns)})");
        }
        var uniqueIndexes = new List<string>();
        foreach (var unique in table.KeySource == KeySource.PrimaryKey ? table.UniqueConstraints : table.UniqueConstraints.Prepend(table.Key))
        {
            if (!Wanted(unique.Columns))
                continue;
            var name = _names.Derive([target.Name, .. unique.Columns, "key"]);
            if (unique.Columns.Any(c => !key.Contains(c) && table.Column(c).Type.Kind == CanonicalKind.TimestampTz))
                uniqueIndexes.Add($"CREATE UNIQUE INDEX {_names.Quote(new DbObjectName(target.Schema, name))} ON {_names.Quote(target)} ({ColumnList(unique.Columns)})");
            else
                lines.Add($"CONSTRAINT {_names.Quote(name)} UNIQUE ({ColumnList(unique.Columns)})");
        }

        var create = new StringBuilder()
            .Append("CREATE TABLE ").Append(_names.Quote(target)).Append(" (\n    ")
            .AppendJoin(",\n    ", lines)
            .Append("\n)");
        var statements = new List<string> { create.ToString() };
        statements.AddRange(uniqueIndexes);

        foreach (var index in table.Indexes)
        {
            if (!Wanted(index.Columns))
                continue;
            var indexName = _names.Quote(new DbObjectName(target.Schema, _names.Derive([target.Name, .. index.Columns, "idx"])));
            statements.Add($"CREATE {(index.IsUnique ? "UNIQUE " : "")}INDEX {indexName} ON {_names.Quote(target)} ({ColumnList(index.Columns)})");
        }
        return statements;
    }

    private void RequireFits(DbObjectName target, string? name, string what)
    {
        if (name is not null && !_names.Fits(name))
            throw new SchemaException(
                $"Table {target}: the {what} {name} is {IdentifierShortener.Measure(name, _names.LengthUnit)} bytes long, longer than " +
                $"this Oracle's identifier limit of {_names.MaxLength} bytes. Rename it on the master, choose a shorter target, " +
                "or, on Oracle 12.2 and later, use the 128-byte limit.");
    }

    private string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(_names.Quote));
}
