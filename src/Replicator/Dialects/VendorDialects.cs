using Repl.Dialects.MySql;
using Repl.Dialects.Oracle;
using Repl.Dialects.PostgreSql;
using Repl.Dialects.Sqlite;
using Repl.Schema;
using Repl.Schema.MySql;
using Repl.Schema.Oracle;
using Repl.Schema.PostgreSql;
using Repl.Schema.Sqlite;

namespace Repl.Dialects;

/// <summary>The one place that maps a <see cref="Vendor"/> to its dialect; the engine never branches on the vendor.</summary>
internal static class VendorDialects
{
    private static readonly Lazy<VendorDialect> PostgreSqlDialect = new(() =>
    {
        var capture = new PostgreSqlCapture(PostgreSqlSchema.Dialect);
        return new VendorDialect(PostgreSqlSchema.Dialect, capture, new PostgreSqlMaster(PostgreSqlSchema.Dialect, capture),
            new PostgreSqlApply(PostgreSqlSchema.Dialect), new PostgreSqlBulkLoad(PostgreSqlSchema.Dialect),
            new PostgreSqlSnapshot(PostgreSqlSchema.Dialect))
        {
            Purge = new PostgreSqlPurge(PostgreSqlSchema.Dialect, capture),
        };
    });

    private static readonly Lazy<VendorDialect> MySqlDialect = new(() =>
    {
        var capture = new MySqlCapture(MySqlSchema.Dialect);
        return new VendorDialect(MySqlSchema.Dialect, capture, new MySqlMaster(MySqlSchema.Dialect, capture),
            new MySqlApply(MySqlSchema.Dialect), new MySqlBulkLoad(MySqlSchema.Dialect), new MySqlSnapshot(MySqlSchema.Dialect))
        {
            Purge = new MySqlPurge(MySqlSchema.Dialect, capture),
        };
    });

    // SQLite is a slave only: no capture, no master reader.
    private static readonly Lazy<VendorDialect> SqliteDialect = new(() =>
        new VendorDialect(SqliteSchema.Dialect, null, null, new SqliteApply(SqliteSchema.Dialect), new SqliteBulkLoad(SqliteSchema.Dialect),
            new SqliteSnapshot(SqliteSchema.Dialect)));

    // Generated and golden-tested; not run against a live Oracle.
    private static readonly Lazy<VendorDialect> OracleDialect = new(() =>
    {
        var capture = new OracleCapture(OracleSchema.Dialect);
        return new VendorDialect(OracleSchema.Dialect, capture, new OracleMaster(OracleSchema.Dialect, capture),
            new OracleApply(OracleSchema.Dialect), new OracleBulkLoad(OracleSchema.Dialect), new OracleSnapshot(OracleSchema.Dialect))
        {
            Purge = new OraclePurge(OracleSchema.Dialect, capture),
        };
    });

    /// <summary>The dialect of <paramref name="vendor"/>.</summary>
    public static VendorDialect For(Vendor vendor) => vendor switch
    {
        Vendor.PostgreSql => PostgreSqlDialect.Value,
        Vendor.MySql => MySqlDialect.Value,
        Vendor.Sqlite => SqliteDialect.Value,
        Vendor.Oracle => OracleDialect.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, "unknown vendor"),
    };
}
