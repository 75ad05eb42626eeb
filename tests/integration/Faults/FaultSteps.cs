using System.Diagnostics;
using Repl.IntegrationTests.Infrastructure;
using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Faults;

/// <summary>The steps the fault tests share: repl to success, a pausable writer, waiting for a slave to catch up.</summary>
internal static class FaultSteps
{
    /// <summary>A short interval so a fault lasts many cycles; one batch per cycle.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fast = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["REPL_replay__interval"] = "00:00:00.200",
    };

    /// <summary>Runs repl as a child process and fails the test, showing its output, unless it exits 0.</summary>
    public static async Task<string> ReplOkAsync(FaultBed bed, params string[] args)
    {
        var (exit, output) = await ReplChild.RunAsync(bed.ConfigPath, Fast, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken, args);
        Assert.True(exit == 0, $"repl {string.Join(' ', args)} exited {exit}:\n{output}");
        return output;
    }

    /// <summary>Runs repl as a child process and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> ReplAsync(FaultBed bed, params string[] args) =>
        ReplChild.RunAsync(bed.ConfigPath, Fast, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken, args);

    /// <summary>Creates a bed with the random workload's tables, 50 committed transactions and repl init done.</summary>
    public static async Task<(FaultBed Bed, RandomWorkload Workload)> InitAsync(PrivateServers servers, Vendor master, Vendor slave, string name)
    {
        var workload = new RandomWorkload(master, seed: 4_099);
        var bed = await FaultBed.CreateAsync(servers, master, [slave], workload.Schema, RandomWorkload.Tables, name, TestContext.Current.CancellationToken);
        await using (var connection = await bed.OpenMasterAsync(TestContext.Current.CancellationToken))
            await workload.RunAsync(connection, 50);
        await ReplOkAsync(bed, "init");
        return (bed, workload);
    }

    /// <summary>
    /// Polls until every table of every node equals the master (the running service caught up), failing with the
    /// differences and the service's output after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitUntilEqualAsync(FaultBed bed, ReplProcess service, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var differences = new List<string>();
            foreach (var (table, _) in bed.Tables)
                differences.AddRange((await bed.CompareAsync(table, TestContext.Current.CancellationToken)).Differences);
            if (differences.Count == 0)
                return;
            Assert.False(service.HasExited, $"the replay service exited:\n{service.Output}");
            if (clock.Elapsed > timeout)
                Assert.Fail($"the replay service did not catch up within {timeout.TotalSeconds} s:\n{string.Join("\n", differences)}\n--- service output:\n{service.Output}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>
/// Commits random-workload transactions on the master until disposed; <see cref="PauseAsync"/> lets the current batch
/// finish first, so a commit is never cut by a server stop (the workload would no longer know what the master holds).
/// </summary>
internal sealed class PausableWriter : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;

    /// <summary>Starts writing.</summary>
    public PausableWriter(FaultBed bed, RandomWorkload workload) => _task = Task.Run(() => WriteAsync(bed, workload));

    /// <summary>Transactions run so far.</summary>
    public int Transactions { get; private set; }

    /// <summary>Waits for the batch in flight and holds the writer.</summary>
    public Task PauseAsync() => _gate.WaitAsync(TestContext.Current.CancellationToken);

    /// <summary>Lets the writer go on.</summary>
    public void Resume() => _gate.Release();

    /// <summary>Stops the writer and surfaces its failure, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _task;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting.
        }
        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task WriteAsync(FaultBed bed, RandomWorkload workload)
    {
        while (!_stop.IsCancellationRequested)
        {
            await _gate.WaitAsync(_stop.Token);
            try
            {
                await using var connection = await bed.OpenMasterAsync(_stop.Token);
                await workload.RunAsync(connection, 5);
                Transactions += 5;
            }
            finally
            {
                _gate.Release();
            }
            await Task.Delay(50, _stop.Token);
        }
    }
}
