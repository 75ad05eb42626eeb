using MySqlConnector;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;
using Repl.TestSupport;

namespace Repl.IntegrationTests.BadInput;

/// <summary>
/// A wrong password, an unknown user or a closed port, for the master or for one node: init (and replay) exit 2 with
/// one error naming the master or the node and its host, never printing the password, and no database changes, so the
/// master is never left half-instrumented by a node that cannot be reached. (The PostgreSQL test server trusts every
/// login, so its bad login is an unknown role; MariaDB checks passwords.)
/// </summary>
public sealed class Wrong_credentials_and_unreachable_hosts_name_the_database_and_change_nothing
{
    private const string Secret = "S3cret'pw;x";

    private static readonly string[] Schema =
    [
        "CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)",
        "INSERT INTO things VALUES (1, 'ann'), (2, 'bob')",
    ];

    public static TheoryData<Vendor> Masters => [Vendor.PostgreSql, Vendor.MySql];

    private static string WrongLogin(Vendor vendor, string connectionString) => vendor switch
    {
        Vendor.MySql => new MySqlConnectionStringBuilder(connectionString) { Password = Secret }.ConnectionString,
        _ => new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Username = "no_such_role", Password = Secret }.ConnectionString,
    };

    private static string ClosedPort(Vendor vendor) => vendor switch
    {
        Vendor.MySql => $"Server=127.0.0.1;Port=1;User ID=repl;Password={Secret.Replace(";", "", StringComparison.Ordinal)};Connection Timeout=3",
        _ => $"Host=127.0.0.1;Port=1;Username=postgres;Password={Secret.Replace(";", "", StringComparison.Ordinal)};Timeout=3",
    };

    private static void AssertOneRedactedError(RecordingOutput output, string names)
    {
        var error = ConfigEdits.OneError(output);
        Assert.StartsWith("error: " + names, error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", output.ErrorText + output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_master_password_names_the_master_hides_the_password_and_changes_no_node()
    {
        await using var replication = await Replication.CreateAsync(Vendor.MySql, [Vendor.PostgreSql, Vendor.Sqlite], Schema, [("things", "log")]);
        ConfigEdits.SetConnectionString(replication, null, WrongLogin(Vendor.MySql, replication.MasterConnectionString));
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        AssertOneRedactedError(output, "cannot connect to master (mysql, ");
        Assert.Contains("Access denied", output.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Wrong_node_login_names_the_node_and_leaves_the_master_uninstrumented(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite, Vendor.PostgreSql, Vendor.MySql], Schema, [("things", "log")],
            test: $"{nameof(Wrong_node_login_names_the_node_and_leaves_the_master_uninstrumented)}_{master}");
        var node = Replication.NodeName(master);
        ConfigEdits.SetConnectionString(replication, node, WrongLogin(master, replication.Nodes.Single(n => n.Name == node).ConnectionString));
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        AssertOneRedactedError(output, $"cannot connect to node {node} (");
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Closed_port_for_the_master_names_the_master_and_its_host(Vendor master)
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.Sqlite], Schema, [("things", "log")],
            test: $"{nameof(Closed_port_for_the_master_names_the_master_and_its_host)}_{master}");
        ConfigEdits.SetConnectionString(replication, null, ClosedPort(master));
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        AssertOneRedactedError(output, $"cannot connect to master ({VendorNames.Of(master)}, ");
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Closed_port_for_a_node_names_the_node_and_its_host_and_leaves_the_master_uninstrumented(Vendor nodeVendor)
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite, nodeVendor], Schema, [("things", "log")],
            test: $"{nameof(Closed_port_for_a_node_names_the_node_and_its_host_and_leaves_the_master_uninstrumented)}_{nodeVendor}");
        var node = Replication.NodeName(nodeVendor);
        ConfigEdits.SetConnectionString(replication, node, ClosedPort(nodeVendor));
        var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

        var (exit, output) = await replication.ReplAsync("init");

        Assert.Equal(2, exit);
        AssertOneRedactedError(output, $"cannot connect to node {node} ({VendorNames.Of(nodeVendor)}, ");
        Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
    }

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Wrong_node_login_at_replay_names_the_node_and_marks_nothing_processed(Vendor nodeVendor)
    {
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [nodeVendor], Schema, [("things", "log")],
            test: $"{nameof(Wrong_node_login_at_replay_names_the_node_and_marks_nothing_processed)}_{nodeVendor}");
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("INSERT INTO things VALUES (3, 'cy')");
        var node = Replication.NodeName(nodeVendor);
        ConfigEdits.SetConnectionString(replication, node, WrongLogin(nodeVendor, replication.Nodes.Single().ConnectionString));
        var processed = await ConfigEdits.ProcessedRowsAsync(replication, node);

        var (exit, output) = await replication.ReplAsync("replay", "--node", node, "--once");

        Assert.Equal(2, exit);
        AssertOneRedactedError(output, $"cannot connect to node {node} (");
        Assert.Equal(processed, await ConfigEdits.ProcessedRowsAsync(replication, node));
        Assert.Equal(2, await ConfigEdits.SlaveRowsAsync(replication, node, "things"));
    }
}
