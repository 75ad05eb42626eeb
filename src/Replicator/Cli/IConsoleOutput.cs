namespace Repl.Cli;

/// <summary>
/// Where verbs write: a terminal gets tables, colours and progress bars, a redirected stream (systemd journal, a file)
/// gets plain lines. Tests record the lines instead.
/// </summary>
internal interface IConsoleOutput
{
    /// <summary>Writes text (one or more lines) to standard output, exactly as given.</summary>
    void WriteLine(string text);

    /// <summary>Writes text (one or more lines) to standard error.</summary>
    void WriteError(string text);

    /// <summary>Writes a table; on a redirected stream, columns aligned with spaces under a header line.</summary>
    void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows);

    /// <summary>Runs work that reports progress; bars on a terminal, a line per tenth otherwise.</summary>
    Task RunWithProgressAsync(Func<IProgressBoard, Task> work);
}

/// <summary>The items whose progress is shown while a piece of work runs.</summary>
internal interface IProgressBoard
{
    /// <summary>Adds an item, e.g. a table being copied, that will reach <paramref name="total"/>.</summary>
    IProgressItem Add(string name, long total);
}

/// <summary>One item on a <see cref="IProgressBoard"/>.</summary>
internal interface IProgressItem
{
    /// <summary>Records that <paramref name="amount"/> more units are done.</summary>
    void Advance(long amount);
}
