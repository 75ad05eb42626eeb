namespace Repl.Dialects;

/// <summary>
/// Wakes the replay service when the master signals new changes (PostgreSQL LISTEN/NOTIFY), so lag is not bound to
/// the polling interval. Vendors without such a signal have none; the service then simply sleeps the interval.
/// </summary>
internal interface IChangeSignal : IAsyncDisposable
{
    /// <summary>Waits until a change is signalled (true) or <paramref name="timeout"/> passes (false).</summary>
    Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
