using MySqlConnector;

namespace Repl.Schema.MySql;

/// <summary>The MariaDB/MySQL schema dialect and the connection settings its value codec relies on.</summary>
public static class MySqlSchema
{
    /// <summary>
    /// The statement to run on every new connection: MariaDB converts TIMESTAMP columns to the session's time zone, and
    /// TimestampTz values are UTC. MySqlConnector has no connection-string option for it.
    /// </summary>
    public const string SessionSetupSql = "SET time_zone = '+00:00'";

    /// <summary>The MariaDB dialect: identifiers, type map, catalog reader, slave DDL and value codec.</summary>
    public static SchemaDialect Dialect { get; } = Create();

    /// <summary>
    /// The configured connection string with the options the value codec needs: GuidFormat=None, so CHAR(36) and
    /// BINARY(16) columns read as the text and bytes they hold rather than as Guids.
    /// </summary>
    public static string ConnectionString(string connectionString) =>
        new MySqlConnectionStringBuilder(connectionString) { GuidFormat = MySqlGuidFormat.None }.ConnectionString;

    private static SchemaDialect Create()
    {
        var identifiers = new MySqlIdentifiers();
        var types = new MySqlTypeMap();
        return new SchemaDialect(Vendor.MySql, identifiers, types, new MySqlCatalog(identifiers, types),
            new MySqlDdl(identifiers, types), new MySqlValues());
    }
}
