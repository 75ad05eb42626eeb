using Repl.Cli;
using Repl.Tests.Configuration;
using Repl.TestSupport;

namespace Repl.Tests.Cli;

public sealed class OperationsHelpTests
{
    [Theory]
    [InlineData("purge", "--batch <N>", "--dry-run")]
    [InlineData("node add", "<name>", "--dry-run")]
    [InlineData("node remove", "<name>", "--drop-slave-objects", "--dry-run")]
    [InlineData("resync", "--node <NAME>", "--table <TABLE>", "--dry-run")]
    public async Task Help_of_each_operations_verb_shows_its_arguments_and_options(string words, params string[] expected)
    {
        var output = new RecordingOutput();

        var exitCode = await new ReplCommandLine(output, ConfigFiles.NoEnvironment)
            .InvokeAsync([.. words.Split(' '), "--help"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.All(expected, e => Assert.Contains(e, output.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_of_the_node_group_lists_add_and_remove()
    {
        var output = new RecordingOutput();

        var exitCode = await new ReplCommandLine(output, ConfigFiles.NoEnvironment).InvokeAsync(["node", "--help"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains(output.Lines, l => l.TrimStart().StartsWith("add ", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.TrimStart().StartsWith("remove ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resync_without_node_is_a_bad_command_line()
    {
        var output = new RecordingOutput();

        var exitCode = await new ReplCommandLine(output, ConfigFiles.NoEnvironment).InvokeAsync(["resync"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("--node", output.ErrorText, StringComparison.Ordinal);
    }
}
