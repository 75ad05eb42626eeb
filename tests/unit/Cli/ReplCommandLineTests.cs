using System.CommandLine;
using Repl.Cli;
using Repl.Configuration;
using Repl.Tests.Configuration;

using Repl.TestSupport;

namespace Repl.Tests.Cli;

public sealed class ReplCommandLineTests
{
    private static async Task<(int ExitCode, RecordingOutput Output)> RunAsync(IReadOnlyList<IVerb>? verbs, params string[] args)
    {
        var output = new RecordingOutput();
        var exitCode = await new ReplCommandLine(output, ConfigFiles.NoEnvironment, verbs).InvokeAsync(args, TestContext.Current.CancellationToken);
        return (exitCode, output);
    }

    [Fact]
    public async Task Help_lists_the_verbs_and_the_global_options()
    {
        var (exitCode, output) = await RunAsync(null, "--help");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains(output.Lines, l => l.TrimStart().StartsWith("config ", StringComparison.Ordinal) && l.Contains("Check and show the configuration.", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.Contains("--config <PATH>", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.Contains("--verbose", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.Contains("repl [command] [options]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_of_a_group_lists_its_verbs()
    {
        var (exitCode, output) = await RunAsync(null, "config", "--help");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains(output.Lines, l => l.TrimStart().StartsWith("show ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_registered_verb_is_reachable_by_its_words()
    {
        foreach (var verb in ReplCommandLine.Verbs)
        {
            var (exitCode, output) = await RunAsync(null, [.. verb.Words, "--help"]);

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Contains(output.Lines, l => l.Contains(verb.Description[..20], StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("config", "shwo")]
    [InlineData()]
    [InlineData("config", "show", "--no-such-option")]
    public async Task A_bad_command_line_exits_2_with_the_parser_message_on_standard_error(params string[] args)
    {
        var (exitCode, output) = await RunAsync(null, args);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.NotEmpty(output.Errors);
    }

    [Fact]
    public async Task Config_option_is_accepted_before_and_after_the_verb()
    {
        var verb = new RecordingVerb();
        await RunAsync([verb], "--config", "before.json", "probe");
        await RunAsync([verb], "probe", "--config", "after.json");
        await RunAsync([verb], "probe");

        Assert.Equal(["before.json", "after.json", "repl.json"], verb.ConfigPaths);
    }

    [Fact]
    public async Task Dry_run_is_offered_only_by_verbs_that_change_databases()
    {
        var changing = new RecordingVerb { ChangesDatabases = true };
        var reading = new RecordingVerb(["look"]);

        var (changingExit, _) = await RunAsync([changing, reading], "probe", "--dry-run");
        var (readingExit, readingOutput) = await RunAsync([changing, reading], "look", "--dry-run");

        Assert.Equal(ExitCodes.Success, changingExit);
        Assert.Equal([true], changing.DryRuns);
        Assert.Equal(ExitCodes.Error, readingExit);
        Assert.Contains("--dry-run", readingOutput.ErrorText, StringComparison.Ordinal);
        Assert.Empty(reading.DryRuns);
    }

    [Fact]
    public async Task Verb_exit_code_is_the_process_exit_code()
    {
        var (exitCode, _) = await RunAsync([new RecordingVerb { ExitCode = ExitCodes.CheckFailed }], "probe");

        Assert.Equal(ExitCodes.CheckFailed, exitCode);
    }

    [Fact]
    public async Task Expected_failure_prints_its_message_alone_and_exits_2()
    {
        var verb = new RecordingVerb { Failure = new ReplException("cannot connect to node pg1 (postgresql, Host=x;Password=***): refused") };

        var (exitCode, output) = await RunAsync([verb], "probe");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal(["error: cannot connect to node pg1 (postgresql, Host=x;Password=***): refused"], output.Errors);
    }

    [Fact]
    public async Task Unexpected_failure_prints_the_message_and_suggests_verbose()
    {
        var verb = new RecordingVerb { Failure = new InvalidOperationException("the slave went away") };

        var (exitCode, output) = await RunAsync([verb], "probe");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal(["error: unexpected failure: the slave went away", "run with --verbose for details"], output.Errors);
    }

    [Fact]
    public async Task Unexpected_failure_with_verbose_prints_the_details()
    {
        var verb = new RecordingVerb { Failure = new InvalidOperationException("the slave went away") };

        var (exitCode, output) = await RunAsync([verb], "probe", "--verbose");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal("error: unexpected failure: the slave went away", output.Errors[0]);
        Assert.Contains("System.InvalidOperationException: the slave went away", output.ErrorText, StringComparison.Ordinal);
        Assert.Contains(nameof(RecordingVerb), output.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwords_of_the_loaded_config_are_scrubbed_from_failure_messages()
    {
        var path = ConfigFiles.Write(ConfigFiles.Valid);
        var verb = new RecordingVerb { LoadConfig = true, Failure = new InvalidOperationException("driver said: bad login node-secret / master-secret") };

        var (exitCode, output) = await RunAsync([verb], "probe", "--config", path, "--verbose");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal("error: unexpected failure: driver said: bad login *** / ***", output.Errors[0]);
        Assert.DoesNotContain("secret", output.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_exits_2_saying_so()
    {
        var verb = new RecordingVerb { Failure = new OperationCanceledException() };
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var output = new RecordingOutput();

        var exitCode = await new ReplCommandLine(output, ConfigFiles.NoEnvironment, [verb]).InvokeAsync(["probe"], cancelled.Token);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal(["error: cancelled; nothing more was done"], output.Errors);
    }

    [Fact]
    public async Task A_verb_option_is_read_from_the_parse_result()
    {
        var verb = new RecordingVerb();

        var (exitCode, _) = await RunAsync([verb], "probe", "--node", "pg1");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(["pg1"], verb.Nodes);
    }

    /// <summary>A verb for testing the plumbing; repl itself registers none like it.</summary>
    private sealed class RecordingVerb(IReadOnlyList<string>? words = null) : IVerb
    {
        private readonly Option<string> _node = new("--node") { Description = "A node." };

        public IReadOnlyList<string> Words { get; } = words ?? ["probe"];

        public string Description => "Records how it was invoked.";

        public bool ChangesDatabases { get; init; }

        public IReadOnlyList<Symbol> Symbols => [_node];

        public int ExitCode { get; init; } = ExitCodes.Success;

        public Exception? Failure { get; init; }

        public bool LoadConfig { get; init; }

        public List<string> ConfigPaths { get; } = [];

        public List<bool> DryRuns { get; } = [];

        public List<string?> Nodes { get; } = [];

        public Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
        {
            ConfigPaths.Add(context.ConfigPath);
            DryRuns.Add(context.DryRun);
            if (context.ParseResult.GetValue(_node) is { } node)
                Nodes.Add(node);
            if (LoadConfig)
                context.LoadConfig();
            if (Failure is not null)
                throw Failure;
            return Task.FromResult(ExitCode);
        }
    }
}
