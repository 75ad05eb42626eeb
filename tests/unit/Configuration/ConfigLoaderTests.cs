using Repl.Configuration;
using Repl.Schema;

namespace Repl.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Valid_config_binds_with_defaults()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);

        var config = ConfigLoader.Load(path, ConfigFiles.NoEnvironment);

        Assert.Equal(Path.GetFullPath(path), config.File);
        Assert.Equal(Vendor.PostgreSql, config.Master.Provider);
        Assert.Equal("Host=db;Database=news;Username=repl;Password=master-secret", config.Master.ConnectionString);
        var table = Assert.Single(config.Tables);
        Assert.Equal(new DbObjectName(null, "SiteUsers"), table.Name);
        Assert.Equal(TableMode.Log, table.Mode);
        var node = Assert.Single(config.Nodes);
        Assert.Equal(new NodeConfig("pg1", Vendor.PostgreSql, "Host=pg1;Username=repl;Password=node-secret"), node);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Replay.Interval);
        Assert.Equal(10_000, config.Replay.BatchSize);
    }

    [Fact]
    public void Full_config_binds_every_value_and_keeps_the_node_order_of_the_file()
    {
        var path = ConfigFiles.Write("""
            {
              // Comments and trailing commas are accepted, as by Microsoft.Extensions.Configuration.
              "Master": { "Provider": "Oracle", "ConnectionString": "User Id=repl;Password=x;Data Source=db" },
              "tables": [
                { "name": "SiteUsers", "mode": "LOG" },
                { "name": "news.NewsArticles" },
                { "name": "AdminUsers", "mode": "snapshot" },
              ],
              "nodes": {
                "zeta":  { "provider": "postgresql", "connectionString": "Host=z" },
                "maria": { "provider": "mysql",      "connectionString": "Server=m" },
                "alpha": { "provider": "sqlite",     "connectionString": "Data Source=a.db" }
              },
              "replay": { "interval": "00:01:30", "batchSize": 500 }
            }
            """);

        var config = ConfigLoader.Load(path, ConfigFiles.NoEnvironment);

        Assert.Equal(Vendor.Oracle, config.Master.Provider);
        Assert.Equal(
            [new TableConfig(new DbObjectName(null, "SiteUsers"), TableMode.Log),
             new TableConfig(new DbObjectName("news", "NewsArticles"), TableMode.Log),
             new TableConfig(new DbObjectName(null, "AdminUsers"), TableMode.Snapshot)],
            config.Tables);
        Assert.Equal(["zeta", "maria", "alpha"], config.Nodes.Select(n => n.Name));
        Assert.Equal([Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite], config.Nodes.Select(n => n.Provider));
        Assert.Equal(TimeSpan.FromSeconds(90), config.Replay.Interval);
        Assert.Equal(500, config.Replay.BatchSize);
    }

    [Fact]
    public void Environment_variable_overrides_the_value_in_the_file()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);
        var environment = new Dictionary<string, string?>
        {
            ["REPL_nodes__pg1__connectionString"] = "Host=pg1;Password=from-env",
            ["REPL_MASTER__CONNECTIONSTRING"] = "Host=db2",
            ["REPL_replay__batchSize"] = "42",
        };

        var config = ConfigLoader.Load(path, environment);

        Assert.Equal("Host=pg1;Password=from-env", config.Node("pg1").ConnectionString);
        Assert.Equal("Host=db2", config.Master.ConnectionString);
        Assert.Equal(42, config.Replay.BatchSize);
    }

    [Fact]
    public void Environment_variables_can_supply_a_connection_string_missing_from_the_file()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid.Replace(", \"connectionString\": \"Host=pg1;Username=repl;Password=node-secret\"", "", StringComparison.Ordinal));
        var environment = new Dictionary<string, string?> { ["REPL_nodes__pg1__connectionString"] = "Host=pg1;Password=kept-out-of-files" };

        var config = ConfigLoader.Load(path, environment);

        Assert.Equal("Host=pg1;Password=kept-out-of-files", config.Node("pg1").ConnectionString);
    }

    [Fact]
    public void Environment_variables_can_add_a_node_after_those_of_the_file()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);
        var environment = new Dictionary<string, string?>
        {
            ["REPL_nodes__extra__provider"] = "sqlite",
            ["REPL_nodes__extra__connectionString"] = "Data Source=extra.db",
        };

        var config = ConfigLoader.Load(path, environment);

        Assert.Equal(["pg1", "extra"], config.Nodes.Select(n => n.Name));
        Assert.Equal(Vendor.Sqlite, config.Node("EXTRA").Provider);
    }

    [Fact]
    public void Repl_variables_without_a_double_underscore_are_not_config_keys()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);
        var environment = new Dictionary<string, string?>
        {
            ["REPL_ORACLE_DRIVER_PATH"] = "/opt/oracle",
            ["REPL_TEST_PG"] = "Host=127.0.0.1",
            ["OTHER__master__provider"] = "sqlite",
        };

        var config = ConfigLoader.Load(path, environment);

        Assert.Equal(Vendor.PostgreSql, config.Master.Provider);
    }

    [Fact]
    public void Asking_for_an_unknown_node_lists_the_configured_ones()
    {
        var config = ConfigLoader.Load(ConfigFiles.Write(ConfigFiles.Valid), ConfigFiles.NoEnvironment);

        var e = Assert.Throws<ConfigException>(() => config.Node("pg9"));

        Assert.Equal(["nodes: no node named \"pg9\"; configured nodes: pg1"], e.Problems);
    }

    [Fact]
    public void Records_print_connection_strings_redacted()
    {
        var config = ConfigLoader.Load(ConfigFiles.Write(ConfigFiles.Valid), ConfigFiles.NoEnvironment);

        var printed = config.ToString();

        Assert.DoesNotContain("master-secret", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("node-secret", printed, StringComparison.Ordinal);
        Assert.Contains("Password=***", printed, StringComparison.Ordinal);
        Assert.Equal("node pg1 (postgresql, Host=pg1;Username=repl;Password=***)", config.Nodes[0].ToString());
    }
}
