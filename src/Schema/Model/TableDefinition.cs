namespace Repl.Schema;

/// <summary>One column as read from a catalog.</summary>
/// <param name="Name">Raw column name.</param>
/// <param name="Type">Canonical type.</param>
/// <param name="IsNullable">Whether NULL is allowed.</param>
/// <param name="IsIdentity">Identity / auto-increment / serial column.</param>
/// <param name="NativeType">The type as the source vendor spells it, for messages and drift reports.</param>
public sealed record ColumnDefinition(string Name, CanonicalType Type, bool IsNullable, bool IsIdentity, string NativeType);

/// <summary>Where the replication key of a table came from.</summary>
public enum KeySource
{
    /// <summary>The table's PRIMARY KEY.</summary>
    PrimaryKey,
    /// <summary>A UNIQUE constraint whose columns are all NOT NULL, standing in for a missing primary key.</summary>
    UniqueNotNull,
}

/// <summary>A named key (primary or unique) over ordered columns.</summary>
public sealed record KeyDefinition(string? Name, IReadOnlyList<string> Columns);

/// <summary>A secondary (non-unique or unique) index over ordered columns.</summary>
public sealed record IndexDefinition(string Name, IReadOnlyList<string> Columns, bool IsUnique);

/// <summary>
/// A table as repl sees it: columns in catalog order, the replication key, unique constraints and secondary indexes.
/// Built by <see cref="TableDefinition.Create"/>, which refuses a table without a usable key.
/// </summary>
public sealed record TableDefinition
{
    private TableDefinition(DbObjectName name, IReadOnlyList<ColumnDefinition> columns, KeyDefinition key, KeySource keySource,
        IReadOnlyList<KeyDefinition> uniques, IReadOnlyList<IndexDefinition> indexes)
    {
        Name = name;
        Columns = columns;
        Key = key;
        KeySource = keySource;
        UniqueConstraints = uniques;
        Indexes = indexes;
    }

    /// <summary>Raw qualified name on the database it was read from.</summary>
    public DbObjectName Name { get; }

    /// <summary>Columns in catalog order.</summary>
    public IReadOnlyList<ColumnDefinition> Columns { get; }

    /// <summary>The replication key: the primary key or a UNIQUE NOT NULL stand-in (see <see cref="KeySource"/>).</summary>
    public KeyDefinition Key { get; }

    /// <summary>Where <see cref="Key"/> came from.</summary>
    public KeySource KeySource { get; }

    /// <summary>UNIQUE constraints other than the replication key.</summary>
    public IReadOnlyList<KeyDefinition> UniqueConstraints { get; }

    /// <summary>Secondary indexes that do not back a key or unique constraint.</summary>
    public IReadOnlyList<IndexDefinition> Indexes { get; }

    /// <summary>The key columns in key order.</summary>
    public IEnumerable<ColumnDefinition> KeyColumns => Key.Columns.Select(Column);

    /// <summary>The column of that exact name; throws naming the table when absent.</summary>
    public ColumnDefinition Column(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new SchemaException($"Table {Name} has no column {name}.");

    /// <summary>
    /// Builds a table, choosing its replication key: the primary key when present, else the first UNIQUE
    /// constraint whose columns are all NOT NULL. A table with neither is refused with a message that says so.
    /// </summary>
    public static TableDefinition Create(DbObjectName name, IReadOnlyList<ColumnDefinition> columns, KeyDefinition? primaryKey,
        IReadOnlyList<KeyDefinition> uniqueConstraints, IReadOnlyList<IndexDefinition> indexes)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (columns.Count == 0)
            throw new SchemaException($"Table {name} was not found or has no columns.");
        foreach (var key in uniqueConstraints.Append(primaryKey).OfType<KeyDefinition>())
            foreach (var col in key.Columns)
                if (!columns.Any(c => c.Name == col))
                    throw new SchemaException($"Table {name}: key {key.Name} names column {col}, which the table does not have.");

        if (primaryKey is not null)
            return new TableDefinition(name, columns, primaryKey, KeySource.PrimaryKey, uniqueConstraints, indexes);

        var standIn = uniqueConstraints.FirstOrDefault(u => u.Columns.All(c => !columns.First(x => x.Name == c).IsNullable));
        if (standIn is null)
            throw new SchemaException(
                $"Table {name} has no primary key, so repl cannot tell its rows apart. Add a PRIMARY KEY, " +
                "or a UNIQUE constraint on NOT NULL columns (repl uses such a key when there is no primary key).");
        return new TableDefinition(name, columns, standIn, KeySource.UniqueNotNull,
            uniqueConstraints.Where(u => !ReferenceEquals(u, standIn)).ToList(), indexes);
    }
}
