using Repl.Schema;
using Repl.Schema.Oracle;

namespace Repl.Tests.Oracle;

/// <summary>The pure half of the Oracle catalog reader: rows as ALL_TAB_COLUMNS and friends return them, mapped to a table.</summary>
public sealed class OracleCatalogRowsTests
{
    private static readonly OracleCatalog Catalog = new(new OracleTypeMap());
    private static readonly DbObjectName Table = new("NEWS", "ORDERS");

    private static OracleColumnRow Column(string name, string dataType, int dataLength = 22, int? charLength = 0, string? charUsed = null,
        int? precision = null, int? scale = null, string nullable = "N", string identity = "NO") =>
        new(name, dataType, dataLength, charLength, charUsed, precision, scale, nullable, identity);

    private static readonly OracleColumnRow[] Columns =
    [
        Column("ID", "NUMBER", precision: 18, scale: 0, identity: "YES"),
        Column("TENANT", "NUMBER", precision: 5, scale: 0),
        Column("TITLE", "NVARCHAR2", dataLength: 400, charLength: 200, charUsed: "C", nullable: "Y"),
        Column("CODE", "VARCHAR2", dataLength: 20, charLength: 20, charUsed: "B"),
        Column("PRICE", "NUMBER", precision: 12, scale: 2, nullable: "Y"),
        Column("CREATED", "DATE", dataLength: 7),
        Column("SEEN", "TIMESTAMP(3) WITH TIME ZONE", dataLength: 13, scale: 3, nullable: "Y"),
        Column("DURATION", "INTERVAL DAY(0) TO SECOND(6)", dataLength: 11, precision: 0, scale: 6, nullable: "Y"),
        Column("HASH", "RAW", dataLength: 16, nullable: "Y"),
        Column("BODY", "CLOB", dataLength: 4000, nullable: "Y"),
    ];

    [Fact]
    public void Columns_map_in_column_order_with_facets_nullability_identity_and_oracle_spelling()
    {
        var table = Catalog.ToTable(Table, Columns, [new OracleKeyRow("ORDERS_PK", "P", "ID", 1)], []);

        Assert.Equal(Table, table.Name);
        Assert.Equal(
            [
                ("ID", new CanonicalType(CanonicalKind.Int64), false, true, "NUMBER(18)"),
                ("TENANT", new CanonicalType(CanonicalKind.Int32), false, false, "NUMBER(5)"),
                ("TITLE", new CanonicalType(CanonicalKind.VarChar, Length: 200), true, false, "NVARCHAR2(200 CHAR)"),
                ("CODE", new CanonicalType(CanonicalKind.VarChar, Length: 20), false, false, "VARCHAR2(20 BYTE)"),
                ("PRICE", new CanonicalType(CanonicalKind.Decimal, Precision: 12, Scale: 2), true, false, "NUMBER(12,2)"),
                ("CREATED", new CanonicalType(CanonicalKind.Timestamp, Precision: 0), false, false, "DATE"),
                ("SEEN", new CanonicalType(CanonicalKind.TimestampTz, Precision: 3), true, false, "TIMESTAMP(3) WITH TIME ZONE"),
                ("DURATION", new CanonicalType(CanonicalKind.Time, Precision: 6), true, false, "INTERVAL DAY(0) TO SECOND(6)"),
                ("HASH", new CanonicalType(CanonicalKind.Binary, Length: 16), true, false, "RAW(16)"),
                ("BODY", new CanonicalType(CanonicalKind.Text), true, false, "CLOB"),
            ],
            table.Columns.Select(c => (c.Name, c.Type, c.IsNullable, c.IsIdentity, c.NativeType)));
    }

    [Fact]
    public void Timestamp_precision_is_taken_from_the_data_type_when_data_scale_is_missing()
    {
        var native = OracleCatalog.ToNative(Column("T", "TIMESTAMP(4)", dataLength: 11));
        Assert.Equal(new NativeColumnType("timestamp", Precision: 4, FullType: "TIMESTAMP(4)"), native);
    }

    [Fact]
    public void Primary_key_columns_follow_their_position_not_the_row_order()
    {
        var table = Catalog.ToTable(Table, Columns,
            [new OracleKeyRow("ORDERS_PK", "P", "ID", 2), new OracleKeyRow("ORDERS_PK", "P", "TENANT", 1)], []);

        Assert.Equal(KeySource.PrimaryKey, table.KeySource);
        Assert.Equal("ORDERS_PK", table.Key.Name);
        Assert.Equal(["TENANT", "ID"], table.Key.Columns);
    }

    [Fact]
    public void Unique_constraints_and_indexes_keep_their_names_column_order_and_uniqueness()
    {
        var table = Catalog.ToTable(Table, Columns,
            [
                new OracleKeyRow("ORDERS_PK", "P", "ID", 1),
                new OracleKeyRow("ORDERS_CODE_UK", "U", "TENANT", 2),
                new OracleKeyRow("ORDERS_CODE_UK", "U", "CODE", 1),
                new OracleKeyRow("ORDERS_HASH_UK", "U", "HASH", 1),
            ],
            [
                new OracleIndexRow("ORDERS_SEEN_IX", "NONUNIQUE", "SEEN", 1),
                new OracleIndexRow("ORDERS_TITLE_IX", "UNIQUE", "PRICE", 2),
                new OracleIndexRow("ORDERS_TITLE_IX", "UNIQUE", "TITLE", 1),
            ]);

        Assert.Equal([("ORDERS_CODE_UK", new[] { "CODE", "TENANT" }), ("ORDERS_HASH_UK", new[] { "HASH" })],
            table.UniqueConstraints.Select(u => (u.Name, u.Columns.ToArray())));
        Assert.Equal([("ORDERS_SEEN_IX", new[] { "SEEN" }, false), ("ORDERS_TITLE_IX", new[] { "TITLE", "PRICE" }, true)],
            table.Indexes.Select(i => (i.Name, i.Columns.ToArray(), i.IsUnique)));
    }

    [Fact]
    public void Without_a_primary_key_the_first_unique_constraint_on_not_null_columns_is_the_key()
    {
        var table = Catalog.ToTable(Table, Columns,
            [new OracleKeyRow("A_UK", "U", "TITLE", 1), new OracleKeyRow("B_UK", "U", "CODE", 1), new OracleKeyRow("B_UK", "U", "TENANT", 2)], []);

        Assert.Equal(KeySource.UniqueNotNull, table.KeySource);
        Assert.Equal(["CODE", "TENANT"], table.Key.Columns);
        Assert.Equal(["A_UK"], table.UniqueConstraints.Select(u => u.Name));
    }

    [Fact]
    public void A_table_without_a_usable_key_is_refused()
    {
        var error = Assert.Throws<SchemaException>(() => Catalog.ToTable(Table, Columns, [new OracleKeyRow("A_UK", "U", "TITLE", 1)], []));
        Assert.Contains("Table NEWS.ORDERS has no primary key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_column_is_refused_naming_the_table_column_and_oracle_type()
    {
        var error = Assert.Throws<SchemaException>(() => Catalog.ToTable(Table,
            [.. Columns, Column("NOTES", "LONG", dataLength: 0, nullable: "Y")], [new OracleKeyRow("ORDERS_PK", "P", "ID", 1)], []));
        Assert.StartsWith("Table NEWS.ORDERS column NOTES has type LONG, which repl cannot replicate.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_with_no_column_rows_is_reported_as_not_found()
    {
        var error = Assert.Throws<SchemaException>(() => Catalog.ToTable(Table, [], [], []));
        Assert.Contains("NEWS.ORDERS was not found", error.Message, StringComparison.Ordinal);
    }
}
