using System.Globalization;
using System.Text.RegularExpressions;

namespace Repl.Schema.Oracle;

/// <summary>One ALL_TAB_COLUMNS row, with Oracle's own spellings (<c>NULLABLE</c> Y/N, <c>IDENTITY_COLUMN</c> YES/NO).</summary>
internal sealed record OracleColumnRow(string ColumnName, string DataType, int DataLength, int? CharLength, string? CharUsed,
    int? DataPrecision, int? DataScale, string Nullable, string IdentityColumn);

/// <summary>One ALL_CONSTRAINTS × ALL_CONS_COLUMNS row; <c>ConstraintType</c> is P or U.</summary>
internal sealed record OracleKeyRow(string ConstraintName, string ConstraintType, string ColumnName, int Position);

/// <summary>One ALL_INDEXES × ALL_IND_COLUMNS row; <c>Uniqueness</c> is UNIQUE or NONUNIQUE.</summary>
internal sealed record OracleIndexRow(string IndexName, string Uniqueness, string ColumnName, int Position);

public sealed partial class OracleCatalog
{
    /// <summary>Maps the rows the catalog queries fetched to a table definition; pure, so it is tested without a database.</summary>
    internal TableDefinition ToTable(DbObjectName table, IReadOnlyList<OracleColumnRow> columns, IReadOnlyList<OracleKeyRow> keys,
        IReadOnlyList<OracleIndexRow> indexes)
    {
        var definitions = columns.Select(c =>
        {
            var native = ToNative(c);
            return new ColumnDefinition(c.ColumnName, _types.FromNative(table, c.ColumnName, native),
                IsNullable: c.Nullable == "Y", IsIdentity: c.IdentityColumn == "YES", native.FullType ?? c.DataType);
        }).ToList();

        KeyDefinition? primaryKey = null;
        var uniques = new List<KeyDefinition>();
        foreach (var key in keys.GroupBy(k => (k.ConstraintType, k.ConstraintName)))
        {
            var definition = new KeyDefinition(key.Key.ConstraintName, key.OrderBy(k => k.Position).Select(k => k.ColumnName).ToList());
            if (key.Key.ConstraintType == "P")
                primaryKey = definition;
            else
                uniques.Add(definition);
        }

        var indexDefinitions = indexes.GroupBy(i => i.IndexName)
            .Select(i => new IndexDefinition(i.Key, i.OrderBy(c => c.Position).Select(c => c.ColumnName).ToList(), i.First().Uniqueness == "UNIQUE"))
            .ToList();

        return TableDefinition.Create(table, definitions, primaryKey, uniques, indexDefinitions);
    }

    /// <summary>
    /// The native type of a column: DATA_TYPE in lower case without its parenthesised numbers (<c>TIMESTAMP(6) WITH TIME
    /// ZONE</c> → <c>timestamp with time zone</c>) and the facets that type takes from the other columns.
    /// </summary>
    internal static NativeColumnType ToNative(OracleColumnRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var name = Parenthesised().Replace(row.DataType, "").Trim().ToLowerInvariant();
        var semantics = row.CharUsed == "B" ? "BYTE" : "CHAR";
        return name switch
        {
            "number" => new NativeColumnType(name, Precision: row.DataPrecision, Scale: row.DataScale, FullType: (row.DataPrecision, row.DataScale) switch
            {
                (null, null) => "NUMBER",
                (null, { } s) => Invariant($"NUMBER(*,{s})"),
                ({ } p, null or 0) => Invariant($"NUMBER({p})"),
                ({ } p, { } s) => Invariant($"NUMBER({p},{s})"),
            }),
            "float" => new NativeColumnType(name, Precision: row.DataPrecision, FullType: Invariant($"FLOAT({row.DataPrecision})")),
            "char" or "nchar" or "varchar2" or "nvarchar2" => new NativeColumnType(name, Length: row.CharLength ?? row.DataLength,
                FullType: Invariant($"{row.DataType}({row.CharLength ?? row.DataLength} {semantics})")),
            "raw" => new NativeColumnType(name, Length: row.DataLength, FullType: Invariant($"RAW({row.DataLength})")),
            "timestamp" or "timestamp with time zone" or "timestamp with local time zone"
                => new NativeColumnType(name, Precision: row.DataScale ?? FirstNumber(row.DataType), FullType: row.DataType),
            "interval day to second" => new NativeColumnType(name, Precision: row.DataPrecision, Scale: row.DataScale, FullType: row.DataType),
            _ => new NativeColumnType(name, FullType: row.DataType),
        };
    }

    private static int? FirstNumber(string dataType)
    {
        var match = Parenthesised().Match(dataType);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"\((\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Parenthesised();
}
