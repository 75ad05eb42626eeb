using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Repl.Cli;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>What every benchmark shares: printing, statistics, child processes, the repl command line in-process.</summary>
internal static class Bench
{
    /// <summary>Prints a line prefixed with the time and the machine's 1-minute load average, so noisy rounds can be told apart.</summary>
    public static void Say(string text) =>
        Console.WriteLine(Invariant($"[{DateTime.Now:HH:mm:ss} load {Load()}] {text}"));

    /// <summary>The 1-minute load average (2 cores here: anything above 2 means other work competes with the benchmark).</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>The median of some values.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A list of numbers as "a / b / c".</summary>
    public static string List(IEnumerable<double> values, string format = "0") =>
        string.Join(" / ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

    /// <summary>"MET" or "NOT MET".</summary>
    public static string Verdict(bool met) => met ? "MET" : "NOT MET";

    /// <summary>Runs <paramref name="work"/> and returns how long it took.</summary>
    public static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    /// <summary>Runs a program to completion; throws with its error output when it fails.</summary>
    public static async Task<string> RunAsync(string file, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>Runs the repl command line in-process (as the integration tests do) and throws unless it exits 0.</summary>
    public static async Task<string> ReplAsync(params string[] args)
    {
        var output = new BenchOutput();
        var exit = await new ReplCommandLine(output, new Dictionary<string, string?>()).InvokeAsync(args);
        if (exit != 0)
            throw new InvalidOperationException($"repl {string.Join(' ', args)} exited {exit}:\n{output.Text}");
        return output.Text;
    }

    /// <summary>
    /// The command that starts the built repl as a child process: the repl.dll next to this benchmark, run by the dotnet host
    /// with its own runtimeconfig when the build copied it, else with the benchmark's (which lists the same dependencies).
    /// </summary>
    public static (string File, string Arguments) ReplProcess(string arguments)
    {
        var directory = AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "repl.dll");
        var own = Path.Combine(directory, "repl.runtimeconfig.json");
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return File.Exists(own)
            ? (host, $"\"{dll}\" {arguments}")
            : (host, $"exec --runtimeconfig \"{Path.Combine(directory, "Repl.Bench.runtimeconfig.json")}\" --depsfile \"{Path.Combine(directory, "Repl.Bench.deps.json")}\" \"{dll}\" {arguments}");
    }

    /// <summary>Writes a repl.json for one master and some nodes into a fresh folder; returns its path.</summary>
    public static string WriteConfig(string name, (string Provider, string ConnectionString) master,
        IReadOnlyList<(string Name, string Provider, string ConnectionString)> nodes, IReadOnlyList<string> tables,
        string interval = "00:00:05", int? batchSize = null, string mode = "log")
    {
        var directory = Path.Combine(Path.GetTempPath(), "repl-bench", name);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "repl.json");
        object replay = batchSize is { } size ? new { interval, batchSize = size } : new { interval };
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            master = new { provider = master.Provider, connectionString = master.ConnectionString },
            tables = tables.Select(t => new { name = t, mode }),
            nodes = nodes.ToDictionary(n => n.Name, n => new { provider = n.Provider, connectionString = n.ConnectionString }),
            replay,
        }));
        return path;
    }

    /// <summary>Rows per second, printed with a thousands separator.</summary>
    public static string Rate(double rowsPerSecond) => rowsPerSecond.ToString("#,0", CultureInfo.InvariantCulture) + " rows/s";
}

/// <summary>Collects what the in-process repl prints.</summary>
internal sealed class BenchOutput : IConsoleOutput
{
    private readonly List<string> _lines = [];

    public string Text => string.Join("\n", _lines);

    public void WriteLine(string text) => _lines.Add(text);

    public void WriteError(string text) => _lines.Add(text);

    public void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows) => _lines.AddRange(PlainText.Table(headers, rows));

    public Task RunWithProgressAsync(Func<IProgressBoard, Task> work) => work(new PlainText.ProgressBoard(_lines.Add));
}
