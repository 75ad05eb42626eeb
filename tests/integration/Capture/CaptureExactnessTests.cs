using System.Data.Common;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Capture;

/// <summary>The capture exactness contract on a PostgreSQL master (txid = pg_current_xact_id()): what both trigger kinds share.</summary>
public abstract class PostgreSqlCaptureExactnessContract : CaptureExactnessContract
{
    private protected override Vendor Vendor => Vendor.PostgreSql;

    protected override string TxidAsText => "txid::text";

    protected override IReadOnlyList<string> CreateTables =>
    [
        "CREATE TABLE accounts (id bigint PRIMARY KEY, balance integer NOT NULL)",
        "CREATE TABLE items (v integer NOT NULL, b varchar(20) NOT NULL, a bigint NOT NULL, PRIMARY KEY (a, b))",
        "CREATE TABLE markers (id bigint PRIMARY KEY)",
    ];

    protected override Task<DbConnection> OpenAsync(string connectionString) => Replication.OpenAsync(Vendor.PostgreSql, connectionString);
}

/// <summary>The capture exactness contract on a PostgreSQL master with repl's PL/pgSQL triggers.</summary>
public sealed class PostgreSql_capture_is_exact : PostgreSqlCaptureExactnessContract
{
    protected override Task<string> NewDatabaseAsync(string test) => TestServers.NewPostgreSqlDatabaseAsync("capture", test);
}

/// <summary>
/// The capture exactness contract on a PostgreSQL master with the repl_capture extension: the row triggers call its C
/// function (ext/postgresql), which inserts into the log directly.
/// </summary>
public sealed class PostgreSql_capture_by_the_C_trigger_function_is_exact : PostgreSqlCaptureExactnessContract
{
    protected override async Task<string> NewDatabaseAsync(string test)
    {
        var cs = await TestServers.NewPostgreSqlDatabaseAsync("capture_c", test);
        await TestServers.CreateCaptureExtensionAsync(cs);
        return cs;
    }

    protected override async Task AssertInstalledAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'repl_capture'";
        // Three tables, four row triggers each (insert, update, key change, delete).
        Assert.Equal(12L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>The capture exactness contract on a MariaDB master (txid = ROW START of the system-versioned log).</summary>
public sealed class MariaDb_capture_is_exact : CaptureExactnessContract
{
    private protected override Vendor Vendor => Vendor.MySql;

    protected override string TxidAsText => "CAST(txid AS CHAR)";

    protected override IReadOnlyList<string> CreateTables =>
    [
        "CREATE TABLE accounts (id bigint PRIMARY KEY, balance integer NOT NULL) ENGINE=InnoDB",
        "CREATE TABLE items (v integer NOT NULL, b varchar(20) NOT NULL, a bigint NOT NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB",
        "CREATE TABLE markers (id bigint PRIMARY KEY) ENGINE=InnoDB",
    ];

    protected override Task<string> NewDatabaseAsync(string test) => TestServers.NewMySqlDatabaseAsync("capture", test);

    protected override Task<DbConnection> OpenAsync(string connectionString) => Replication.OpenAsync(Vendor.MySql, connectionString);
}
