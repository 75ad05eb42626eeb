using System.Text.Json;
using Repl.Cli;
using Repl.Tests.Configuration;

using Repl.TestSupport;

namespace Repl.Tests.Cli;

public sealed class ConfigShowCommandTests
{
    private static async Task<(int ExitCode, RecordingOutput Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var output = new RecordingOutput();
        var exitCode = await new ReplCommandLine(output, environment).InvokeAsync(args, TestContext.Current.CancellationToken);
        return (exitCode, output);
    }

    [Fact]
    public async Task Config_show_prints_the_effective_configuration_with_passwords_redacted_and_exits_0()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);

        var (exitCode, output) = await RunAsync(ConfigFiles.NoEnvironment, "config", "show", "--config", path);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Empty(output.Errors);
        Assert.DoesNotContain("master-secret", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("node-secret", output.Text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.Text);
        var root = json.RootElement;
        Assert.Equal("postgresql", root.GetProperty("master").GetProperty("provider").GetString());
        Assert.Equal("Host=db;Database=news;Username=repl;Password=***", root.GetProperty("master").GetProperty("connectionString").GetString());
        Assert.Equal("Host=pg1;Username=repl;Password=***", root.GetProperty("nodes").GetProperty("pg1").GetProperty("connectionString").GetString());
        var table = Assert.Single(root.GetProperty("tables").EnumerateArray());
        Assert.Equal("SiteUsers", table.GetProperty("name").GetString());
        Assert.Equal("log", table.GetProperty("mode").GetString());
        Assert.Equal("00:00:05", root.GetProperty("replay").GetProperty("interval").GetString());
        Assert.Equal(10_000, root.GetProperty("replay").GetProperty("batchSize").GetInt32());
        Assert.Equal("00:10:00", root.GetProperty("purge").GetProperty("interval").GetString());
        Assert.Equal(5_000, root.GetProperty("purge").GetProperty("batchSize").GetInt32());
    }

    [Fact]
    public async Task Config_show_applies_environment_overrides_and_still_redacts_them()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);
        var environment = new Dictionary<string, string?>
        {
            ["REPL_nodes__pg1__connectionString"] = "Host=elsewhere;Password='from;env'",
            ["REPL_replay__interval"] = "00:00:01",
        };

        var (exitCode, output) = await RunAsync(environment, "--config", path, "config", "show");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.DoesNotContain("from;env", output.Text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.Text);
        Assert.Equal("Host=elsewhere;Password=***", json.RootElement.GetProperty("nodes").GetProperty("pg1").GetProperty("connectionString").GetString());
        Assert.Equal("00:00:01", json.RootElement.GetProperty("replay").GetProperty("interval").GetString());
    }

    [Fact]
    public async Task Config_show_output_is_a_config_repl_reads_back_the_same()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);
        var (_, first) = await RunAsync(ConfigFiles.NoEnvironment, "config", "show", "--config", path);

        var (exitCode, second) = await RunAsync(ConfigFiles.NoEnvironment, "config", "show", "--config", ConfigFiles.Write(first.Text));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(first.Lines, second.Lines);
    }

    [Fact]
    public async Task Bad_config_exits_2_listing_every_problem_on_standard_error()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid
            .Replace("\"provider\": \"postgresql\", \"connectionString\": \"Host=pg1", "\"provider\": \"postgres\", \"connectionString\": \"Host=pg1", StringComparison.Ordinal)
            .Replace("\"name\": \"SiteUsers\"", "\"name\": \"SiteUsers\", \"mode\": \"full\"", StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync(ConfigFiles.NoEnvironment, "config", "show", "--config", path);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Empty(output.Lines);
        Assert.Equal(
            [
                $"error: config {Path.GetFullPath(path)}: 2 problems",
                "  - tables:0:mode: unknown mode \"full\" for table SiteUsers; expected log or snapshot",
                "  - nodes:pg1:provider: unknown provider \"postgres\"; expected one of postgresql, mysql, sqlite, oracle",
            ],
            output.Errors);
    }

    [Fact]
    public async Task Missing_config_file_exits_2_naming_the_file_and_the_option()
    {
        var path = Path.Combine(Path.GetTempPath(), "repl-unit-tests", Guid.NewGuid().ToString("N"), "repl.json");

        var (exitCode, output) = await RunAsync(ConfigFiles.NoEnvironment, "config", "show", "--config", path);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal([$"error: config {path}: 1 problem", "  - file not found; --config PATH sets it (default ./repl.json)"], output.Errors);
    }
}
