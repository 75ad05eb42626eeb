using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Repl.Configuration;
using Repl.Dialects;

namespace Repl.Replay;

/// <summary>
/// <c>repl replay --node N</c> as a long-running service: a cycle every <c>replay.interval</c>, earlier when the master
/// signals changes; on failure one log line and exponential backoff (1 s doubling to 60 s) until the databases answer
/// again. On SIGTERM or Ctrl-C the host cancels the token: the cycle in flight is rolled back (nothing half-applied is
/// committed) and the service stops. Every <c>purge.interval</c> (unless off) it purges the master's logs between two
/// cycles; one service purging at a time per master (the purge lock), a failed purge is one warning and is retried at the next interval.
/// </summary>
internal sealed class ReplayService(ReplayRunner runner, ReplConfig config, NodeConfig node, ILogger<ReplayService> logger,
    ReplayMetrics? metrics = null) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(60);
    private readonly IReadOnlyList<string> _secrets =
        ConnectionStrings.Secrets(config.Master.ConnectionString).Concat(ConnectionStrings.Secrets(node.ConnectionString)).ToList();

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IChangeSignal? signal = null;
        var failures = 0;
        var retry = FirstRetry;
        var lockReported = false;
        var started = false;
        var nextPurge = config.Purge.Interval is { } first ? DateTime.UtcNow + first : DateTime.MaxValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = config.Replay.Interval;
                try
                {
                    var result = await runner.RunCycleAsync(stoppingToken);
                    if (metrics is not null)
                    {
                        metrics.Cycle(result);
                        metrics.Pending(await runner.ReadStatusAsync(stoppingToken));
                    }
                    if (!started)
                    {
                        signal ??= await runner.ListenAsync(stoppingToken);
                        ReplayLog.Started(logger, node.Name, runner.Tables.Count, config.Replay.Interval,
                            signal is null ? "polling" : "woken by the master's notifications");
                        started = true;
                    }
                    if (failures > 0)
                        ReplayLog.Recovered(logger, node.Name, failures);
                    failures = 0;
                    retry = FirstRetry;
                    lockReported = false;
                    if (result.Transactions > 0)
                        ReplayLog.CycleApplied(logger, node.Name, result.Transactions, result.RowsApplied, result.RowsDeleted, (long)result.Duration.TotalMilliseconds);
                    else
                        ReplayLog.CycleIdle(logger, node.Name, (long)result.Duration.TotalMilliseconds);
                    if (DateTime.UtcNow >= nextPurge)
                    {
                        await PurgeAsync(stoppingToken);
                        nextPurge = DateTime.UtcNow + config.Purge.Interval!.Value;
                    }
                }
                catch (NodeLockedException)
                {
                    if (!lockReported)
                        ReplayLog.LockHeld(logger, node.Name);
                    lockReported = true;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OperationCanceledException)
                {
                    failures++;
                    metrics?.Failure();
                    wait = retry;
                    ReplayLog.CycleFailed(logger, node.Name, retry.TotalSeconds, ConnectionStrings.Scrub(OneLine(e), _secrets));
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                    if (signal is not null)
                    {
                        await signal.DisposeAsync();
                        signal = null;
                    }
                    started = false;
                }

                if (!await WaitAsync(signal, wait, failures > 0, stoppingToken) && signal is not null)
                {
                    // The listening connection broke: listen again after the next successful cycle.
                    await signal.DisposeAsync();
                    signal = null;
                    started = false;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cycle in flight was rolled back by its own error handling.
        }
        finally
        {
            if (signal is not null)
                await signal.DisposeAsync();
            await runner.DisconnectAsync();
            ReplayLog.Stopped(logger, node.Name);
        }
    }

    // A purge problem must not disturb replay: it is logged and tried again at the next interval.
    private async Task PurgeAsync(CancellationToken stoppingToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var result = await runner.PurgeAsync(stoppingToken);
            if (result.Outcome == Operations.PurgeOutcome.Done)
                ReplayLog.Purged(logger, node.Name, result.LogRows, result.ProcessedRows, clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            ReplayLog.PurgeFailed(logger, node.Name, config.Purge.Interval!.Value, ConnectionStrings.Scrub(OneLine(e), _secrets));
        }
    }

    // Returns false when the change signal broke; that only costs the early wake-up, the interval still applies.
    private static async Task<bool> WaitAsync(IChangeSignal? signal, TimeSpan wait, bool failing, CancellationToken stoppingToken)
    {
        if (signal is null || failing)
        {
            await Task.Delay(wait, stoppingToken);
            return true;
        }
        try
        {
            await signal.WaitAsync(wait, stoppingToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Task.Delay(wait, stoppingToken);
            return false;
        }
    }

    // One line per failure: the driver's message without a stack trace, the inner cause appended when it adds something.
    private static string OneLine(Exception e)
    {
        var message = e.Message;
        if (e.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
            message += " (" + inner.Message + ")";
        return message.ReplaceLineEndings(" ");
    }
}
