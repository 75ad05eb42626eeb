namespace Repl.Schema.PostgreSql;

/// <summary>The PostgreSQL pieces of the Schema library, wired together.</summary>
public static class PostgreSqlSchema
{
    /// <summary>PostgreSQL's identifier rules, type map, catalog reader, slave DDL and value codec.</summary>
    public static SchemaDialect Dialect { get; } = Create();

    private static SchemaDialect Create()
    {
        var identifiers = new PostgreSqlIdentifiers();
        var types = new PostgreSqlTypeMap();
        return new SchemaDialect(Vendor.PostgreSql, identifiers, types, new PostgreSqlCatalog(types),
            new PostgreSqlDdl(identifiers, types), new PostgreSqlValues());
    }
}
