using System.Text;

namespace Repl.Cli;

/// <summary>A <see cref="TextWriter"/> that hands complete lines to an <see cref="IConsoleOutput"/> method, so the parser's help and errors go where verbs write.</summary>
internal sealed class LineWriter(Action<string> writeLine) : TextWriter
{
    private readonly StringBuilder _pending = new();

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value)
    {
        if (value == '\n')
        {
            writeLine(_pending.ToString().TrimEnd('\r'));
            _pending.Clear();
            return;
        }
        _pending.Append(value);
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_pending.Length == 0)
            return;
        writeLine(_pending.ToString());
        _pending.Clear();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
