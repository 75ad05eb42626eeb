using Spectre.Console;

namespace Repl.Cli;

/// <summary>
/// <see cref="IConsoleOutput"/> for a real process: Spectre.Console tables, colours and progress bars when a stream is a
/// terminal, plain lines when it is redirected (systemd, cron, pipes), so logs stay readable.
/// </summary>
internal sealed class SpectreConsoleOutput : IConsoleOutput
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly IAnsiConsole? _outTerminal;
    private readonly IAnsiConsole? _errorTerminal;

    /// <summary>Creates the output over two writers, each treated as a terminal or not.</summary>
    public SpectreConsoleOutput(TextWriter output, bool outputIsTerminal, TextWriter error, bool errorIsTerminal)
    {
        _out = output;
        _error = error;
        _outTerminal = outputIsTerminal ? Terminal(output) : null;
        _errorTerminal = errorIsTerminal ? Terminal(error) : null;
    }

    /// <summary>The process's standard output and error.</summary>
    public static SpectreConsoleOutput ForProcess() =>
        new(Console.Out, !Console.IsOutputRedirected, Console.Error, !Console.IsErrorRedirected);

    /// <inheritdoc />
    public void WriteLine(string text) => _out.WriteLine(text);

    /// <inheritdoc />
    public void WriteError(string text)
    {
        if (_errorTerminal is null)
        {
            _error.WriteLine(text);
            return;
        }
        _errorTerminal.Write(new Text(text + Environment.NewLine, new Style(Color.Red)));
    }

    /// <inheritdoc />
    public void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (_outTerminal is null)
        {
            foreach (var line in PlainText.Table(headers, rows))
                _out.WriteLine(line);
            return;
        }
        var table = new Table();
        foreach (var header in headers)
            table.AddColumn(new TableColumn(new Text(header)));
        foreach (var row in rows)
            table.AddRow(row.Select(cell => new Text(cell)));
        _outTerminal.Write(table);
    }

    /// <inheritdoc />
    public Task RunWithProgressAsync(Func<IProgressBoard, Task> work)
    {
        if (_outTerminal is null)
            return work(new PlainText.ProgressBoard(_out.WriteLine));
        return _outTerminal.Progress().StartAsync(context => work(new SpectreBoard(context)));
    }

    private static IAnsiConsole Terminal(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
    });

    private sealed class SpectreBoard(ProgressContext context) : IProgressBoard
    {
        public IProgressItem Add(string name, long total) => new SpectreItem(context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1)));
    }

    private sealed class SpectreItem(ProgressTask task) : IProgressItem
    {
        public void Advance(long amount) => task.Increment(amount);
    }
}
