namespace Repl.Schema.Oracle;

/// <summary>The Oracle pieces of the schema layer; SQL is generated and golden-tested, not run against a live Oracle here.</summary>
public static class OracleSchema
{
    /// <summary>Oracle 12.2 and later: identifiers up to 128 bytes.</summary>
    public static SchemaDialect Dialect { get; } = Create();

    /// <summary>The Oracle dialect for a database whose identifier limit is <paramref name="maxIdentifierLength"/> bytes (30 before 12.2).</summary>
    public static SchemaDialect Create(int maxIdentifierLength = OracleIdentifiers.DefaultMaxLength)
    {
        var names = new OracleIdentifiers(maxIdentifierLength);
        var types = new OracleTypeMap();
        return new SchemaDialect(Vendor.Oracle, names, types, new OracleCatalog(types), new OracleDdl(names, types), new OracleValues());
    }
}
