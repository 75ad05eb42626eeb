using System.Globalization;

namespace Repl.Cli;

/// <summary>Renderings for output that is not a terminal: stable, greppable lines without colour or box drawing.</summary>
internal static class PlainText
{
    /// <summary>A header line and one line per row, columns padded to line up.</summary>
    public static IReadOnlyList<string> Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => i < r.Count ? r[i].Length : 0).Append(h.Length).Max()).ToList();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w))).TrimEnd();
        return [Line(headers), .. rows.Select(Line)];
    }

    /// <summary>A progress board that writes a line when an item starts and each time it passes another tenth.</summary>
    internal sealed class ProgressBoard(Action<string> writeLine) : IProgressBoard
    {
        /// <inheritdoc />
        public IProgressItem Add(string name, long total)
        {
            writeLine(string.Create(CultureInfo.InvariantCulture, $"{name}: started, {total} to do"));
            return new Item(name, total, writeLine);
        }

        private sealed class Item(string name, long total, Action<string> writeLine) : IProgressItem
        {
            private readonly Lock _gate = new();
            private long _done;
            private int _tenthsReported;

            public void Advance(long amount)
            {
                // Items may be advanced from parallel copies; one line per tenth, in order.
                lock (_gate)
                {
                    _done += amount;
                    var tenths = total <= 0 ? 10 : (int)Math.Min(10, _done * 10 / total);
                    if (tenths <= _tenthsReported)
                        return;
                    _tenthsReported = tenths;
                    writeLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {tenths * 10}% ({_done} of {total})"));
                }
            }
        }
    }
}
