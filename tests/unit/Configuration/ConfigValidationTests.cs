using Repl.Configuration;

namespace Repl.Tests.Configuration;

public sealed class ConfigValidationTests
{
    private const string ProviderList = "expected one of postgresql, mysql, sqlite, oracle";

    private static IReadOnlyList<string> Problems(string json, IReadOnlyDictionary<string, string?>? environment = null, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var path = ConfigFiles.Write(json, test);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, environment ?? ConfigFiles.NoEnvironment));
        Assert.Equal(Path.GetFullPath(path), e.File);
        Assert.All(e.Problems, p => Assert.Contains(p, e.Message, StringComparison.Ordinal));
        return e.Problems;
    }

    private static string ValidWith(string find, string replace)
    {
        Assert.Contains(find, ConfigFiles.Valid, StringComparison.Ordinal);
        return ConfigFiles.Valid.Replace(find, replace, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_names_the_path_and_the_option_that_sets_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "repl-unit-tests", Guid.NewGuid().ToString("N"), "absent.json");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ConfigFiles.NoEnvironment));

        Assert.Equal(path, e.File);
        Assert.Equal(["file not found; --config PATH sets it (default ./repl.json)"], e.Problems);
        Assert.StartsWith($"config {path}: 1 problem", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_reports_the_line_and_position()
    {
        var problem = Assert.Single(Problems("{\n  \"master\": {\n    \"provider\": \"postgresql\",,\n  }\n}"));

        Assert.StartsWith("invalid JSON at line 3, position 30: ", problem, StringComparison.Ordinal);
        Assert.EndsWith("',' is an invalid start of a property name. Expected a '\"'", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_object_is_refused()
    {
        var problem = Assert.Single(Problems("[ { \"name\": \"SiteUsers\" } ]"));

        Assert.StartsWith("the file must hold one JSON object", problem, StringComparison.Ordinal);
        Assert.EndsWith("not a list", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"tables\"", "\"tabels\"", "tabels: unknown key; known keys at the top level: master, tables, nodes, replay, purge")]
    [InlineData("\"connectionString\": \"Host=db;", "\"conectionString\": \"Host=db;", "master:conectionString: unknown key; known keys at master: provider, connectionString")]
    [InlineData("{ \"name\": \"SiteUsers\" }", "{ \"name\": \"SiteUsers\", \"mdoe\": \"log\" }", "tables:0:mdoe: unknown key; known keys at tables:0: name, mode")]
    [InlineData("\"provider\": \"postgresql\", \"connectionString\": \"Host=pg1", "\"provider\": \"postgresql\", \"port\": 5432, \"connectionString\": \"Host=pg1", "nodes:pg1:port: unknown key; known keys at nodes:pg1: provider, connectionString")]
    public void Unknown_key_is_reported_with_its_path_and_the_known_keys_at_that_level(string find, string replace, string expected)
    {
        Assert.Contains(expected, Problems(ValidWith(find, replace)));
    }

    [Fact]
    public void Unknown_key_in_replay_is_reported()
    {
        var json = ConfigFiles.Valid.TrimEnd().TrimEnd('}') + ", \"replay\": { \"intervall\": \"00:00:01\" } }";

        Assert.Equal(["replay:intervall: unknown key; known keys at replay: interval, batchSize, metricsPort"], Problems(json));
    }

    [Fact]
    public void Unknown_key_from_the_environment_names_the_variable()
    {
        var environment = new Dictionary<string, string?> { ["REPL_nodes__pg1__connectionStrng"] = "Host=x" };

        var problem = Assert.Single(Problems(ConfigFiles.Valid, environment));

        Assert.Equal("nodes:pg1:connectionStrng: unknown key; known keys at nodes:pg1: provider, connectionString (set by environment variable REPL_nodes__pg1__connectionStrng)", problem);
    }

    [Fact]
    public void Unknown_provider_names_the_key_and_the_accepted_providers()
    {
        var problems = Problems(ValidWith("\"pg1\": { \"provider\": \"postgresql\"", "\"pg1\": { \"provider\": \"postgres\""));

        Assert.Equal([$"nodes:pg1:provider: unknown provider \"postgres\"; {ProviderList}"], problems);
    }

    [Fact]
    public void Missing_provider_names_the_key_and_the_accepted_providers()
    {
        var problems = Problems(ValidWith("\"provider\": \"postgresql\", \"connectionString\": \"Host=db", "\"connectionString\": \"Host=db"));

        Assert.Equal([$"master:provider: missing; {ProviderList}"], problems);
    }

    [Theory]
    [InlineData("\"connectionString\": \"Host=pg1;Username=repl;Password=node-secret\"", "\"connectionString\": \"  \"")]
    [InlineData(", \"connectionString\": \"Host=pg1;Username=repl;Password=node-secret\"", "")]
    public void Missing_or_empty_connection_string_names_the_key_and_the_variable_that_can_set_it(string find, string replace)
    {
        var problems = Problems(ValidWith(find, replace));

        Assert.Equal(["nodes:pg1:connectionString: missing or empty; set it in the file or with the environment variable REPL_nodes__pg1__connectionString"], problems);
    }

    [Fact]
    public void Empty_connection_string_from_the_environment_names_the_variable()
    {
        var environment = new Dictionary<string, string?> { ["REPL_master__connectionString"] = "" };

        var problem = Assert.Single(Problems(ConfigFiles.Valid, environment));

        Assert.EndsWith("(set by environment variable REPL_master__connectionString)", problem, StringComparison.Ordinal);
        Assert.StartsWith("master:connectionString: missing or empty", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_master_is_refused_because_sqlite_can_only_be_a_slave()
    {
        var problems = Problems(ValidWith("\"provider\": \"postgresql\", \"connectionString\": \"Host=db", "\"provider\": \"sqlite\", \"connectionString\": \"Host=db"));

        Assert.Equal(["master:provider: sqlite can only be a slave (a node); the master must be postgresql, mysql or oracle"], problems);
    }

    [Fact]
    public void Missing_master_is_reported()
    {
        var problems = Problems("""{ "tables": [ { "name": "T" } ], "nodes": { "n": { "provider": "sqlite", "connectionString": "Data Source=x" } } }""");

        Assert.Equal(["master: missing; add \"master\": { \"provider\": \"postgresql\", \"connectionString\": \"...\" }"], problems);
    }

    [Theory]
    [InlineData("\"tables\": [ { \"name\": \"SiteUsers\" } ]", "\"tables\": [ ]")]
    [InlineData("\"tables\": [ { \"name\": \"SiteUsers\" } ],", "")]
    [InlineData("\"tables\": [ { \"name\": \"SiteUsers\" } ]", "\"tables\": null")]
    public void No_tables_is_reported(string find, string replace)
    {
        var problem = Assert.Single(Problems(ValidWith(find, replace)));

        Assert.StartsWith("tables: no tables listed; add at least one, e.g. \"tables\": [", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_nodes_is_reported()
    {
        var problem = Assert.Single(Problems(ValidWith(
            "\"nodes\": { \"pg1\": { \"provider\": \"postgresql\", \"connectionString\": \"Host=pg1;Username=repl;Password=node-secret\" } }",
            "\"nodes\": { }")));

        Assert.StartsWith("nodes: no nodes listed; add at least one slave", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_given_as_an_object_are_refused()
    {
        var problem = Assert.Single(Problems(ValidWith("[ { \"name\": \"SiteUsers\" } ]", "{ \"SiteUsers\": { \"mode\": \"log\" } }")));

        Assert.StartsWith("tables: expected a list [", problem, StringComparison.Ordinal);
        Assert.EndsWith("found an object", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_given_as_a_list_are_refused()
    {
        var problem = Assert.Single(Problems(ValidWith("{ \"pg1\": {", "[ {").Replace("} }\n}", "} ]\n}", StringComparison.Ordinal)));

        Assert.StartsWith("nodes: expected named nodes {", problem, StringComparison.Ordinal);
        Assert.EndsWith("found a list", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_where_an_object_belongs_is_refused_without_printing_the_value()
    {
        var problems = Problems(ValidWith(
            "{ \"provider\": \"postgresql\", \"connectionString\": \"Host=db;Database=news;Username=repl;Password=master-secret\" }",
            "\"Host=db;Password=master-secret\""));

        Assert.Equal(["master: expected { \"provider\": \"postgresql\", \"connectionString\": \"...\" }, found a single value"], problems);
    }

    [Fact]
    public void An_object_where_a_value_belongs_is_refused()
    {
        var problems = Problems(ValidWith("\"name\": \"SiteUsers\"", "\"name\": { \"schema\": \"news\" }"));

        Assert.Equal(["tables:0:name: expected a single value, found an object or list"], problems);
    }

    [Theory]
    [InlineData("siteusers")]
    [InlineData("SITEUSERS")]
    public void Duplicate_table_names_ignoring_case_are_reported_with_both_keys(string second)
    {
        var problems = Problems(ValidWith("[ { \"name\": \"SiteUsers\" } ]", $"[ {{ \"name\": \"SiteUsers\" }}, {{ \"name\": \"Other\" }}, {{ \"name\": \"{second}\" }} ]"));

        Assert.Equal([$"tables:2:name: table \"{second}\" is listed twice (first as tables:0:name); table names match the master ignoring case"], problems);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".SiteUsers")]
    [InlineData("news.")]
    public void Table_without_a_usable_name_is_reported(string name)
    {
        var problem = Assert.Single(Problems(ValidWith("\"name\": \"SiteUsers\"", $"\"name\": \"{name}\"")));

        Assert.StartsWith("tables:0:name: ", problem, StringComparison.Ordinal);
        Assert.Contains("schema.name", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pg-1")]
    [InlineData("1pg")]
    [InlineData("_pg")]
    [InlineData("pg 1")]
    [InlineData("nödé")]
    [InlineData("a234567890123456789012345678901")]
    public void Node_name_unusable_as_an_identifier_is_refused_saying_why(string name)
    {
        var problems = Problems(ValidWith("\"pg1\":", $"\"{name}\":"));

        Assert.Equal([$"nodes:{name}: node name \"{name}\" cannot be used: it becomes part of table names such as repl.processed_{name}, "
            + "so it must start with a letter, hold only letters, digits and _, and be at most 30 characters"], problems);
    }

    [Fact]
    public void Node_name_of_thirty_characters_is_accepted()
    {
        var name = "a23456789012345678901234567890";

        var config = ConfigLoader.Load(ConfigFiles.Write(ValidWith("\"pg1\":", $"\"{name}\":")), ConfigFiles.NoEnvironment);

        Assert.Equal(name, Assert.Single(config.Nodes).Name);
    }

    [Fact]
    public void Node_names_equal_ignoring_case_are_refused()
    {
        var problems = Problems(ValidWith("\"nodes\": {", "\"nodes\": { \"PG1\": { \"provider\": \"sqlite\", \"connectionString\": \"Data Source=x\" },"));

        Assert.Equal(["nodes:pg1: same node name as nodes:PG1 ignoring case; node names become table names (repl.processed_<node>) and must differ ignoring case"], problems);
    }

    [Fact]
    public void Other_keys_given_twice_ignoring_case_are_refused()
    {
        var problems = Problems(ValidWith("\"provider\": \"postgresql\", \"connectionString\": \"Host=db", "\"provider\": \"postgresql\", \"PROVIDER\": \"mysql\", \"connectionString\": \"Host=db"));

        Assert.Equal(["master:PROVIDER: given twice (also as master:provider); config keys ignore case"], problems);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("five seconds")]
    [InlineData("00:00:61")]
    public void Interval_that_is_not_a_time_span_is_refused(string interval)
    {
        var problems = Problems(ConfigFiles.Valid.TrimEnd().TrimEnd('}') + $", \"replay\": {{ \"interval\": \"{interval}\" }} }}");

        Assert.Equal([$"replay:interval: \"{interval}\" is not a time span; write hh:mm:ss, e.g. \"00:00:05\""], problems);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    public void Interval_of_zero_or_less_is_refused(string interval)
    {
        var problems = Problems(ConfigFiles.Valid.TrimEnd().TrimEnd('}') + $", \"replay\": {{ \"interval\": \"{interval}\" }} }}");

        Assert.Equal([$"replay:interval: \"{interval}\" must be greater than zero, e.g. \"00:00:05\""], problems);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("\"many\"")]
    [InlineData("1.5")]
    public void Batch_size_that_is_not_a_positive_whole_number_is_refused(string batchSize)
    {
        var problems = Problems(ConfigFiles.Valid.TrimEnd().TrimEnd('}') + $", \"replay\": {{ \"batchSize\": {batchSize} }} }}");

        Assert.Equal([$"replay:batchSize: \"{batchSize.Trim('"')}\" is not a positive whole number, e.g. 10000"], problems);
    }

    [Fact]
    public void Unknown_table_mode_is_refused_naming_the_table()
    {
        var problems = Problems(ValidWith("{ \"name\": \"SiteUsers\" }", "{ \"name\": \"SiteUsers\", \"mode\": \"snap\" }"));

        Assert.Equal(["tables:0:mode: unknown mode \"snap\" for table SiteUsers; expected log or snapshot"], problems);
    }

    [Fact]
    public void Several_problems_are_reported_together()
    {
        var json = """
            {
              "master": { "provider": "sqlite", "connectionString": "" },
              "tables": [ { "name": "A", "mode": "full" }, { "name": "a" } ],
              "nodes": {
                "pg-1":  { "provider": "postgres", "connectionString": "Host=x" },
                "maria": { "provider": "mysql" }
              },
              "replay": { "interval": "soon", "batchsize": 0 },
              "extra": true
            }
            """;

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(ConfigFiles.Write(json), ConfigFiles.NoEnvironment));

        Assert.Equal(
            [
                "extra: unknown key; known keys at the top level: master, tables, nodes, replay, purge",
                "master:provider: sqlite can only be a slave (a node); the master must be postgresql, mysql or oracle",
                "master:connectionString: missing or empty; set it in the file or with the environment variable REPL_master__connectionString",
                "tables:0:mode: unknown mode \"full\" for table A; expected log or snapshot",
                "tables:1:name: table \"a\" is listed twice (first as tables:0:name); table names match the master ignoring case",
                "nodes:pg-1: node name \"pg-1\" cannot be used: it becomes part of table names such as repl.processed_pg-1, so it must start with a letter, hold only letters, digits and _, and be at most 30 characters",
                $"nodes:pg-1:provider: unknown provider \"postgres\"; {ProviderList}",
                "nodes:maria:connectionString: missing or empty; set it in the file or with the environment variable REPL_nodes__maria__connectionString",
                "replay:interval: \"soon\" is not a time span; write hh:mm:ss, e.g. \"00:00:05\"",
                "replay:batchSize: \"0\" is not a positive whole number, e.g. 10000",
            ],
            e.Problems);
        Assert.StartsWith("config ", e.Message, StringComparison.Ordinal);
        Assert.Contains(": 10 problems", e.Message, StringComparison.Ordinal);
    }
}
