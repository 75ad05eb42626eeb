namespace Repl.Schema.Sqlite;

/// <summary>The SQLite pieces of the schema layer. SQLite is a slave only.</summary>
public static class SqliteSchema
{
    /// <summary>SQLite's identifier rules, type map, catalog reader, slave DDL and value codec.</summary>
    public static SchemaDialect Dialect { get; } = Create();

    private static SchemaDialect Create()
    {
        var names = new SqliteIdentifiers();
        var types = new SqliteTypeMap();
        return new SchemaDialect(Vendor.Sqlite, names, types, new SqliteCatalog(types), new SqliteDdl(names, types), new SqliteValues());
    }
}
