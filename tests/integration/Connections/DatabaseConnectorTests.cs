using Dapper;
using MySqlConnector;
using Repl.Configuration;
using Repl.Connections;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Connections;

public sealed class DatabaseConnectorTests
{
    private static readonly DatabaseConnector Connector = new(new OracleDriver(new Dictionary<string, string?>()));

    [Fact]
    public async Task PostgreSql_connection_opens()
    {
        var master = new MasterConfig(Vendor.PostgreSql, await TestServers.NewPostgreSqlDatabaseAsync());

        await using var connection = await Connector.OpenAsync(master, TestContext.Current.CancellationToken);

        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task MySql_connection_allows_local_infile_and_user_variables_even_when_the_config_does_not_say_so()
    {
        var plain = new MySqlConnectionStringBuilder(await TestServers.NewMySqlDatabaseAsync()) { AllowLoadLocalInfile = false, AllowUserVariables = false };
        var node = new NodeConfig("maria", Vendor.MySql, plain.ConnectionString);

        await using var connection = await Connector.OpenAsync(node, TestContext.Current.CancellationToken);

        Assert.True(new MySqlConnectionStringBuilder(connection.ConnectionString).AllowLoadLocalInfile);
        Assert.Equal(5, await connection.ExecuteScalarAsync<int>("SET @x = 5; SELECT @x"));
    }

    [Fact]
    public async Task MySql_wrong_password_names_the_node_and_never_the_password()
    {
        var wrong = new MySqlConnectionStringBuilder(TestServers.MySqlAdmin) { Password = "wrong;pw'x" };
        var node = new NodeConfig("maria", Vendor.MySql, wrong.ConnectionString);

        var e = await Assert.ThrowsAsync<ReplException>(() => Connector.OpenAsync(node, TestContext.Current.CancellationToken));

        Assert.StartsWith("cannot connect to node maria (mysql, ", e.Message, StringComparison.Ordinal);
        Assert.Contains("Password=***", e.Message, StringComparison.Ordinal);
        Assert.Contains("Access denied", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong;pw", e.Message, StringComparison.Ordinal);
        Assert.Contains("REPL_nodes__maria__connectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSql_server_that_does_not_answer_names_the_master_with_the_driver_message()
    {
        var master = new MasterConfig(Vendor.PostgreSql, "Host=127.0.0.1;Port=1;Username=repl;Password=pg-secret-1;Timeout=3");

        var e = await Assert.ThrowsAsync<ReplException>(() => Connector.OpenAsync(master, TestContext.Current.CancellationToken));

        Assert.StartsWith("cannot connect to master (postgresql, Host=127.0.0.1;Port=1;Username=repl;Password=***;Timeout=3): Failed to connect to 127.0.0.1:1", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pg-secret-1", e.Message, StringComparison.Ordinal);
    }
}
