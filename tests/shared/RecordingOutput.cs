using Repl.Cli;

namespace Repl.TestSupport;

/// <summary>An <see cref="IConsoleOutput"/> that keeps every line, so tests can assert what a verb printed.</summary>
internal sealed class RecordingOutput : IConsoleOutput
{
    public List<string> Lines { get; } = [];

    public List<string> Errors { get; } = [];

    public string Text => string.Join("\n", Lines);

    public string ErrorText => string.Join("\n", Errors);

    public void WriteLine(string text) => Lines.AddRange(text.Split('\n'));

    public void WriteError(string text) => Errors.AddRange(text.Split('\n'));

    public void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows) => Lines.AddRange(PlainText.Table(headers, rows));

    public Task RunWithProgressAsync(Func<IProgressBoard, Task> work) => work(new PlainText.ProgressBoard(WriteLine));
}
