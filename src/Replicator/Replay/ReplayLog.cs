using Microsoft.Extensions.Logging;

namespace Repl.Replay;

/// <summary>The replay service's log lines, with stable event ids operators can alert on.</summary>
internal static partial class ReplayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "node {Node}: applied {Transactions} transaction(s), {Rows} row(s) upserted, {Deleted} deleted in {Milliseconds} ms")]
    public static partial void CycleApplied(ILogger logger, string node, long transactions, long rows, long deleted, long milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "node {Node}: nothing to apply ({Milliseconds} ms)")]
    public static partial void CycleIdle(ILogger logger, string node, long milliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "node {Node}: cycle failed, retrying in {RetrySeconds} s: {Reason}")]
    public static partial void CycleFailed(ILogger logger, string node, double retrySeconds, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "node {Node}: another repl replay holds this node's lock on the master; waiting for it to stop")]
    public static partial void LockHeld(ILogger logger, string node);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "node {Node}: replay started; {Tables} table(s), interval {Interval}, {Wake}")]
    public static partial void Started(ILogger logger, string node, int tables, TimeSpan interval, string wake);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "node {Node}: replay stopped")]
    public static partial void Stopped(ILogger logger, string node);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "node {Node}: recovered after {Failures} failed attempt(s)")]
    public static partial void Recovered(ILogger logger, string node, int failures);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "node {Node}: purge deleted {LogRows} log row(s) and {ProcessedRows} processed row(s) in {Milliseconds} ms")]
    public static partial void Purged(ILogger logger, string node, long logRows, long processedRows, long milliseconds);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "node {Node}: purge failed, next try in {Interval}: {Reason}")]
    public static partial void PurgeFailed(ILogger logger, string node, TimeSpan interval, string reason);
}
