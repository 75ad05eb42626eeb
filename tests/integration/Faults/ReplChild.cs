using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// The built repl as a child process (<c>dotnet repl.dll …</c>) for the chaos engine, which the bench runs too and so
/// cannot use the test framework's ReplProcess. Keeps every line written (stdout and stderr).
/// </summary>
internal sealed class ReplChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private ReplChild(Process process) => _process = process;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything written so far.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
                return string.Join("\n", _lines);
        }
    }

    /// <summary>Starts <c>repl <paramref name="args"/> --config <paramref name="configPath"/></c> with extra environment variables.</summary>
    public static ReplChild Start(string configPath, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "repl.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        var process = new Process { StartInfo = info };
        var child = new ReplChild(process);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs repl to its end and returns the exit code and output; -1 when it had to be killed after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string configPath, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, CancellationToken cancellationToken, params string[] args)
    {
        await using var child = Start(configPath, environment, args);
        var exit = await child.WaitForExitAsync(timeout, cancellationToken);
        return (exit ?? -1, child.Output);
    }

    /// <summary>How many lines written so far contain <paramref name="text"/>.</summary>
    public int LineCount(string text)
    {
        lock (_lines)
            return _lines.Count(l => l.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Waits until a line containing <paramref name="text"/> arrives; false when the process exits or <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (LineCount(text) == 0)
        {
            if (_process.HasExited || clock.Elapsed > timeout)
                return false;
            await Task.Delay(50, cancellationToken);
        }
        return true;
    }

    /// <summary>Waits for the exit and returns the exit code, or null after <paramref name="timeout"/> (the process is then killed).</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            return null;
        }
        // The parameterless wait also drains the redirected output.
        await _process.WaitForExitAsync(CancellationToken.None);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to clean up.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
            _lines.Add(line);
    }

    // The same dotnet that runs this process: its muxer sits three levels above the runtime directory.
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
