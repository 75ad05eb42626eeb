using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// The built <c>repl</c> run as a real child process (<c>dotnet repl.dll …</c>), so signals, exit codes and the node lock
/// are those an operator gets. Every line it writes (stdout and stderr) is kept with the time it arrived.
/// </summary>
internal sealed class ReplProcess : IAsyncDisposable
{
    private static readonly Lazy<string> Assembly = new(Locate);
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, string Line)> _lines = [];

    private ReplProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything written so far, one line each, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
                return string.Join("\n", _lines.Select(l => l.Line));
        }
    }

    /// <summary>
    /// Starts <c>repl <paramref name="args"/> --config <paramref name="configPath"/></c> with <paramref name="environment"/>
    /// added to this process's environment (REPL_ overrides of config values).
    /// </summary>
    public static ReplProcess Start(string configPath, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Assembly.Value);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;

        var process = new Process { StartInfo = info };
        var repl = new ReplProcess(process);
        process.OutputDataReceived += (_, e) => repl.Add(e.Data);
        process.ErrorDataReceived += (_, e) => repl.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return repl;
    }

    /// <summary>
    /// Waits until the <paramref name="occurrence"/>-th line (1-based) containing <paramref name="text"/> arrives and
    /// returns when it arrived; fails the test, showing the output, after <paramref name="timeout"/> or when the process exits first.
    /// </summary>
    public async Task<TimeSpan> WaitForLineAsync(string text, TimeSpan timeout, int occurrence = 1)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var exited = _process.HasExited;
            lock (_lines)
            {
                var found = _lines.Where(l => l.Line.Contains(text, StringComparison.Ordinal)).Skip(occurrence - 1).Select(l => (TimeSpan?)l.At).FirstOrDefault();
                if (found is { } at)
                    return at;
            }
            if (exited)
            {
                // The output pipes may still hold the last lines: read them before giving up.
                await _process.WaitForExitAsync();
                if (LineCount(text) >= occurrence)
                    continue;
                Assert.Fail($"repl exited with {_process.ExitCode} before writing \"{text}\" (occurrence {occurrence}):\n{Output}");
            }
            if (deadline.Elapsed > timeout)
                Assert.Fail($"repl did not write \"{text}\" (occurrence {occurrence}) within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>How many lines written so far contain <paramref name="text"/>.</summary>
    public int LineCount(string text)
    {
        lock (_lines)
            return _lines.Count(l => l.Line.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Waits for the exit and returns the exit code; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"repl did not exit within {timeout.TotalSeconds} s:\n{Output}");
        }
        // The parameterless wait also drains the redirected output.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>SIGTERM, as systemd stops a service (sent with kill(1): no native interop in the tests).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {_process.Id.ToString(CultureInfo.InvariantCulture)} exited {kill.ExitCode.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
            _lines.Add((_clock.Elapsed, line));
    }

    // dotnet test runs the tests under the same dotnet: its muxer sits three levels above the runtime directory
    // (<root>/shared/Microsoft.NETCore.App/<version>/).
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    // The test project references the repl project, so the build copies repl.dll and its runtimeconfig next to the tests;
    // the project's own output folder (same configuration) is the fallback.
    private static string Locate()
    {
        var here = AppContext.BaseDirectory;
        var candidates = new List<string> { Path.Combine(here, "repl.dll") };
        var framework = new DirectoryInfo(here);
        var configuration = framework.Parent?.Name;
        for (var dir = framework; dir is not null && configuration is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Replicator.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "src", "Replicator", "bin", configuration, framework.Name, "repl.dll"));
                break;
            }
        }
        var found = candidates.FirstOrDefault(c => File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")));
        if (found is null)
            Assert.Fail($"The built repl was not found (looked for {string.Join(" and ", candidates)} with its .runtimeconfig.json); build the solution first: dotnet build Replicator.sln");
        return found;
    }
}
