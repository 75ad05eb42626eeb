using System.Globalization;

namespace Repl.Schema.MySql;

/// <summary>
/// Creates slave tables on MariaDB: <c>CREATE TABLE</c> with the mapped types, the replication key and the UNIQUE keys,
/// then one <c>CREATE INDEX</c> per secondary index, with the generated names of TYPEMAP.md.
/// <para>
/// Choices: the table collation is <c>utf8mb4_nopad_bin</c>, not <c>utf8mb4_bin</c>, because PAD SPACE collations
/// make <c>'a'</c> and <c>'a '</c> the same key, so a master holding both would break the slave (duplicate key) and a
/// delete of one would hit both. The primary key keeps MariaDB's fixed name PRIMARY (it ignores any other); a
/// UNIQUE NOT NULL stand-in key stays a UNIQUE key (InnoDB clusters on it all the same). Identity columns are plain
/// columns: values come from the master, and AUTO_INCREMENT would turn an inserted 0 into a new number.
/// </para>
/// <para>
/// Key lengths: InnoDB indexes at most 3072 bytes per key, and utf8mb4 counts 4 bytes per character. The replication
/// key must be indexed in full, so a key over 3072 bytes or with a text/blob column is refused, naming the table and
/// columns. Other UNIQUE keys that do not fit are created <c>USING HASH</c> (MariaDB's long unique: still the full
/// value is unique). Secondary indexes that do not fit index a prefix of their string and binary columns: the bytes
/// the fixed-size columns leave are shared out, shortest column first, so short columns stay whole.
/// </para>
/// <para>
/// Row size: MariaDB refuses a row whose columns may take more than 65,535 bytes, text and blobs aside (five
/// varchar(4000) columns already do). Then the widest char/varchar columns that are in no key or index become longtext,
/// one at a time until the row fits (varbinary columns likewise become longblob): the values are the same, only the
/// length check stays on the master.
/// </para>
/// </summary>
public sealed class MySqlDdl : ISlaveDdl
{
    /// <summary>Longest InnoDB index key, in bytes.</summary>
    public const int MaxKeyBytes = 3072;

    /// <summary>Longest MariaDB row, in bytes, text and blobs counted by their in-row pointer.</summary>
    public const int MaxRowBytes = 65535;

    /// <summary>
    /// Character set and collation of every slave table, and of anything whose values are compared with a slave table's
    /// (the apply routine's stage): binary and without padding, so keys compare exactly as on the master.
    /// </summary>
    public const string CharsetOptions = "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";

    /// <summary>The options every slave table is created with.</summary>
    public const string TableOptions = "ENGINE=InnoDB " + CharsetOptions;

    private const int BytesPerCharacter = 4;
    private const int LongColumnRowBytes = 12;
    private const int LengthPrefixBytes = 2;

    private readonly MySqlIdentifiers identifiers;
    private readonly MySqlTypeMap types;

    /// <summary>Creates the generator over the vendor's identifier rules and type map.</summary>
    public MySqlDdl(MySqlIdentifiers identifiers, MySqlTypeMap types)
    {
        this.identifiers = identifiers;
        this.types = types;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> CreateTable(TableDefinition table, DbObjectName target)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        if (MySqlIdentifiers.TableFileNameBytes(target.Name) > MySqlIdentifiers.MaxTableFileNameBytes)
            throw new SchemaException(
                $"MariaDB cannot create table {target}: it stores a table in a file named after it, and this name's file name " +
                $"would be longer than Linux allows. Use a shorter target name (MySqlIdentifiers.Shorten gives one that fits).");

        var clash = table.Columns.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new SchemaException(
                $"Table {table.Name} has columns {string.Join(" and ", clash.Select(c => c.Name))}, which MariaDB treats as one name " +
                "(its column names ignore case). Rename one of them on the master, or choose another slave vendor for this table.");

        var slaveTypes = SlaveTypes(table);
        var quotedTarget = identifiers.Quote(target);
        var lines = table.Columns
            .Select(c => $"  {QuoteColumn(table, c.Name)} {ColumnType(table, c, slaveTypes[c.Name])} {(c.IsNullable ? "NULL" : "NOT NULL")}")
            .ToList();

        RequireFullyIndexable(table, target, slaveTypes);
        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var uniques = table.UniqueConstraints.AsEnumerable();
        if (table.KeySource == KeySource.PrimaryKey)
            lines.Add($"  PRIMARY KEY ({ColumnList(table, table.Key.Columns)})");
        else
            uniques = uniques.Prepend(table.Key);
        foreach (var unique in uniques)
        {
            var name = identifiers.Derive([target.Name, .. unique.Columns, "key"]);
            // Two keys over the same columns get the same generated name; the second adds nothing.
            if (!usedNames.Add(name))
                continue;
            var hash = FitsInFull(unique.Columns.Select(c => slaveTypes[c]).ToList()) ? "" : " USING HASH";
            lines.Add($"  UNIQUE KEY {identifiers.Quote(name)} ({ColumnList(table, unique.Columns)}){hash}");
        }

        var statements = new List<string> { $"CREATE TABLE {quotedTarget} (\n{string.Join(",\n", lines)}\n) {TableOptions}" };
        foreach (var index in table.Indexes)
        {
            var name = identifiers.Derive([target.Name, .. index.Columns, "idx"]);
            if (!usedNames.Add(name))
                continue;
            var parts = index.Columns.Select(c => slaveTypes[c]).ToList();
            var fits = FitsInFull(parts);
            var columns = fits || index.IsUnique
                ? ColumnList(table, index.Columns)
                : string.Join(", ", index.Columns.Zip(Prefixes(table, index.Columns, parts),
                    (c, prefix) => QuoteColumn(table, c) + (prefix is null ? "" : Invariant($"({prefix})"))));
            var hash = !fits && index.IsUnique ? " USING HASH" : "";
            statements.Add($"CREATE {(index.IsUnique ? "UNIQUE " : "")}INDEX {identifiers.Quote(name)} ON {quotedTarget} ({columns}){hash}");
        }
        return statements;
    }

    private static void RequireFullyIndexable(TableDefinition table, DbObjectName target, IReadOnlyDictionary<string, CanonicalType> slaveTypes)
    {
        var key = table.Key.Columns;
        var unbounded = key.FirstOrDefault(c => KeyBytes(slaveTypes[c]) is null);
        var why = unbounded is not null
            ? $"includes column {unbounded} of type {table.Column(unbounded).Type}, which MariaDB cannot index in full"
            : null;
        var total = key.Sum(c => KeyBytes(slaveTypes[c]) ?? 0);
        if (why is null && total > MaxKeyBytes)
            why = Invariant($"needs {total} bytes (") + string.Join(", ", key.Select(c => Invariant($"{c} {table.Column(c).Type}: {KeyBytes(slaveTypes[c])}"))) + ")";
        if (why is not null)
            throw new SchemaException(
                $"Table {table.Name} cannot be replicated to MariaDB table {target}: its key ({string.Join(", ", key)}) {why}. " +
                $"InnoDB indexes at most {MaxKeyBytes} bytes per key and utf8mb4 counts 4 bytes per character. Shorten the key " +
                "columns on the master (one varchar key column may be at most varchar(768)), or choose another slave vendor for this table.");
    }

    /// <summary>
    /// The type each column of <paramref name="table"/> is created with, by column name: its canonical type, or Text
    /// (longtext) / Binary (longblob) for the wide char/varchar/varbinary columns that <see cref="CreateTable"/> widens so
    /// the row fits. <paramref name="reservedRowBytes"/> keeps room for columns created beside the table's own (the apply
    /// routine's staging table adds a flag); reserving room can only widen more columns, never fewer.
    /// </summary>
    public static IReadOnlyDictionary<string, CanonicalType> SlaveTypes(TableDefinition table, int reservedRowBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        var slaveTypes = table.Columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var indexed = table.UniqueConstraints.SelectMany(u => u.Columns)
            .Concat(table.Key.Columns)
            .Concat(table.Indexes.SelectMany(i => i.Columns))
            .ToHashSet(StringComparer.Ordinal);
        var nullBitmap = (table.Columns.Count + 7) / 8;
        while (slaveTypes.Values.Sum(RowBytes) + nullBitmap + reservedRowBytes > MaxRowBytes)
        {
            var widest = table.Columns
                .Where(c => !indexed.Contains(c.Name) && slaveTypes[c.Name].Kind is CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Binary
                    && RowBytes(slaveTypes[c.Name]) > LongColumnRowBytes)
                .OrderByDescending(c => RowBytes(slaveTypes[c.Name]))
                .FirstOrDefault()
                ?? throw new SchemaException(
                    Invariant($"Table {table.Name} needs {slaveTypes.Values.Sum(RowBytes) + nullBitmap + reservedRowBytes} bytes per row on MariaDB, ") +
                    $"more than its {MaxRowBytes}, even with every char/varchar/varbinary column outside keys and indexes created as longtext/longblob. " +
                    "Narrow the key and index columns on the master, or choose another slave vendor for this table.");
            slaveTypes[widest.Name] = new CanonicalType(widest.Type.Kind == CanonicalKind.Binary ? CanonicalKind.Binary : CanonicalKind.Text);
        }
        return slaveTypes;
    }

    /// <inheritdoc/>
    public string AddColumn(DbObjectName target, ColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"ALTER TABLE {identifiers.Quote(target)} ADD COLUMN {identifiers.Quote(column.Name)} {types.ToDdl(column.Type)}";
    }

    private string ColumnType(TableDefinition table, ColumnDefinition column, CanonicalType slaveType)
    {
        try
        {
            return types.ToDdl(slaveType);
        }
        catch (SchemaException e)
        {
            throw new SchemaException($"Table {table.Name} column {column.Name}: {e.Message}", e);
        }
    }

    private string QuoteColumn(TableDefinition table, string column)
    {
        try
        {
            return identifiers.Quote(column);
        }
        catch (SchemaException e)
        {
            throw new SchemaException($"Table {table.Name} column {column}: {e.Message}", e);
        }
    }

    private string ColumnList(TableDefinition table, IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(c => QuoteColumn(table, c)));

    private static bool FitsInFull(IReadOnlyList<CanonicalType> parts) =>
        parts.All(p => KeyBytes(p) is not null) && parts.Sum(p => KeyBytes(p) ?? 0) <= MaxKeyBytes;

    /// <summary>
    /// Index prefix lengths (characters, or bytes for binary) that fit <see cref="MaxKeyBytes"/>: fixed-size columns
    /// stay whole; string and binary columns share the rest, shortest first, each taking all of its share it needs.
    /// </summary>
    private static int?[] Prefixes(TableDefinition table, IReadOnlyList<string> columns, List<CanonicalType> parts)
    {
        var prefixes = new int?[parts.Count];
        var budget = MaxKeyBytes - parts.Where(p => !IsPrefixable(p)).Sum(p => KeyBytes(p) ?? 0);
        var shares = Enumerable.Range(0, parts.Count).Where(i => IsPrefixable(parts[i]))
            .OrderBy(i => KeyBytes(parts[i]) ?? int.MaxValue).ToList();
        for (var n = 0; n < shares.Count; n++)
        {
            var i = shares[n];
            var share = budget / (shares.Count - n);
            if (KeyBytes(parts[i]) is { } whole && whole <= share)
            {
                budget -= whole;
                continue;
            }
            var unit = parts[i].Kind == CanonicalKind.Binary ? 1 : BytesPerCharacter;
            if (share < unit)
                throw new SchemaException(
                    $"Table {table.Name}: the index on ({string.Join(", ", columns)}) leaves no room for column {columns[i]} " +
                    $"within MariaDB's {MaxKeyBytes}-byte key limit. Drop or narrow that index on the master.");
            prefixes[i] = share / unit;
            budget -= prefixes[i]!.Value * unit;
        }
        return prefixes;
    }

    private static bool IsPrefixable(CanonicalType type) => type.Kind is CanonicalKind.Char or CanonicalKind.VarChar
        or CanonicalKind.Text or CanonicalKind.Json or CanonicalKind.Binary;

    /// <summary>Bytes a column takes in an index key, counted at its largest; null when it cannot be indexed in full.</summary>
    private static int? KeyBytes(CanonicalType type) => type.Kind switch
    {
        CanonicalKind.Boolean => 1,
        CanonicalKind.Int16 => 2,
        CanonicalKind.Int32 or CanonicalKind.Float32 => 4,
        CanonicalKind.Int64 or CanonicalKind.Float64 => 8,
        CanonicalKind.Decimal => 30,
        CanonicalKind.Date => 3,
        CanonicalKind.Time => 6,
        CanonicalKind.Timestamp or CanonicalKind.TimestampTz => 8,
        CanonicalKind.Uuid => 16,
        CanonicalKind.Char or CanonicalKind.VarChar when type.Length <= MySqlTypeMap.MaxVarCharLength => type.Length * BytesPerCharacter,
        CanonicalKind.Binary when type.Length <= MySqlTypeMap.MaxVarBinaryLength => type.Length,
        _ => null,
    };

    /// <summary>Bytes a column may take in a row as MariaDB counts them for its row-size limit.</summary>
    private static int RowBytes(CanonicalType type) => type.Kind switch
    {
        CanonicalKind.Char when type.Length <= MySqlTypeMap.MaxCharLength => (type.Length ?? 0) * BytesPerCharacter,
        CanonicalKind.Char or CanonicalKind.VarChar or CanonicalKind.Binary => KeyBytes(type) is { } bytes ? bytes + LengthPrefixBytes : LongColumnRowBytes,
        _ => KeyBytes(type) ?? LongColumnRowBytes,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
