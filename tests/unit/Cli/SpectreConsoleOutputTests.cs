using Repl.Cli;

namespace Repl.Tests.Cli;

public sealed class SpectreConsoleOutputTests
{
    private static readonly string[] Headers = ["node", "pending"];
    private static readonly IReadOnlyList<string>[] Rows = [["pg1", "12"], ["maria", "3"]];

    [Fact]
    public void Redirected_output_gets_a_plain_aligned_table()
    {
        using var writer = new StringWriter();
        var output = new SpectreConsoleOutput(writer, false, TextWriter.Null, false);

        output.WriteTable(Headers, Rows);

        Assert.Equal(["node   pending", "pg1    12", "maria  3", ""], writer.ToString().Split(Environment.NewLine));
    }

    [Fact]
    public void Terminal_output_gets_a_drawn_table_with_every_cell()
    {
        using var writer = new StringWriter();
        var output = new SpectreConsoleOutput(writer, true, TextWriter.Null, false);

        output.WriteTable(Headers, Rows);

        var text = writer.ToString();
        Assert.Contains("pending", text, StringComparison.Ordinal);
        Assert.Contains("maria", text, StringComparison.Ordinal);
        Assert.Contains("─", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_and_errors_go_to_their_own_streams_unchanged()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new SpectreConsoleOutput(output, false, error, false);

        console.WriteLine("{ \"a\": \"[red]not markup[/]\" }");
        console.WriteError("error: [bold]x[/]");

        Assert.Equal("{ \"a\": \"[red]not markup[/]\" }" + Environment.NewLine, output.ToString());
        Assert.Equal("error: [bold]x[/]" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Errors_on_a_terminal_keep_brackets_literally()
    {
        using var error = new StringWriter();
        var console = new SpectreConsoleOutput(TextWriter.Null, false, error, true);

        console.WriteError("error: table [SiteUsers] missing");

        Assert.Contains("error: table [SiteUsers] missing", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirected_progress_writes_a_line_per_tenth()
    {
        using var writer = new StringWriter();
        var output = new SpectreConsoleOutput(writer, false, TextWriter.Null, false);

        await output.RunWithProgressAsync(board =>
        {
            var item = board.Add("SiteUsers", 100);
            for (var i = 0; i < 20; i++)
                item.Advance(5);
            return Task.CompletedTask;
        });

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("SiteUsers: started, 100 to do", lines[0]);
        Assert.Equal(11, lines.Length);
        Assert.Equal("SiteUsers: 50% (50 of 100)", lines[5]);
        Assert.Equal("SiteUsers: 100% (100 of 100)", lines[^1]);
    }

    [Fact]
    public async Task Progress_on_a_terminal_runs_the_work()
    {
        using var writer = new StringWriter();
        var output = new SpectreConsoleOutput(writer, true, TextWriter.Null, false);
        var ran = false;

        await output.RunWithProgressAsync(board =>
        {
            board.Add("SiteUsers", 10).Advance(10);
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
        Assert.Contains("SiteUsers", writer.ToString(), StringComparison.Ordinal);
    }
}
