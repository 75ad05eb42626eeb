using System.Runtime.CompilerServices;
using System.Text;

namespace Repl.Tests.Oracle;

/// <summary>
/// Compares generated text with a checked-in golden file under tests/unit/Golden (copied next to the test assembly),
/// failing with a unified-diff style message; with REPL_UPDATE_GOLDEN=1 it rewrites the checked-in file instead.
/// </summary>
internal static class GoldenFile
{
    public const string UpdateVariable = "REPL_UPDATE_GOLDEN";
    private const int Context = 2;

    public static void AssertMatches(string relativePath, string actual, [CallerFilePath] string callerFile = "")
    {
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var source = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, "..", "Golden", relativePath));
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "Golden", relativePath);
        if (!File.Exists(copied))
            Assert.Fail($"Golden file tests/unit/Golden/{relativePath} does not exist. Create it with {UpdateVariable}=1 dotnet test tests/unit, then review it.");
        var expected = File.ReadAllText(copied).ReplaceLineEndings("\n");
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
            Assert.Fail(Diff(relativePath, expected, actual));
    }

    /// <summary>A unified-diff style account of how <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    public static string Diff(string relativePath, string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        // Longest common subsequence table; golden files are a few hundred lines at most.
        var lcs = Enumerable.Range(0, a.Length + 1).Select(_ => new int[b.Length + 1]).ToArray();
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i][j] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? lcs[i + 1][j + 1] + 1 : Math.Max(lcs[i + 1][j], lcs[i][j + 1]);

        var lines = new List<(char Mark, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                lines.Add((' ', x + 1, a[x]));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1][y] >= lcs[x][y + 1]))
            {
                lines.Add(('-', x + 1, a[x]));
                x++;
            }
            else
            {
                lines.Add(('+', x + 1, b[y]));
                y++;
            }
        }

        var message = new StringBuilder()
            .Append("Generated SQL differs from golden file tests/unit/Golden/").Append(relativePath).Append('\n')
            .Append("--- expected (golden file)\n+++ actual (generated)\n");
        var shown = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            var near = Enumerable.Range(Math.Max(0, k - Context), Math.Min(lines.Count, k + Context + 1) - Math.Max(0, k - Context))
                .Any(n => lines[n].Mark != ' ');
            if (!near)
                continue;
            if (shown != k - 1)
                message.Append("@@ golden line ").Append(lines[k].Line).Append(" @@\n");
            message.Append(lines[k].Mark).Append(' ').Append(lines[k].Text).Append('\n');
            shown = k;
        }
        return message
            .Append("If the change is intended, regenerate with ").Append(UpdateVariable)
            .Append("=1 dotnet test tests/unit --filter FullyQualifiedName~Golden and review git diff tests/unit/Golden.")
            .ToString();
    }
}
