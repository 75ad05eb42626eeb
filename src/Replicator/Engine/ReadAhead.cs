using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Repl.Engine;

/// <summary>
/// Runs a producer (reading the master) on its own task, at most <c>capacity</c> items ahead of the consumer (writing the
/// slave), so both databases and both halves of the client work at the same time instead of taking turns. Memory stays
/// bounded by the capacity. When either side fails the other is cancelled, and the error of the side that failed first is
/// the one thrown.
/// </summary>
internal static class ReadAhead
{
    /// <summary>
    /// Runs <paramref name="produce"/> (which hands each item to the function it is given) and <paramref name="consume"/>
    /// (which enumerates those items) together; returns what <paramref name="consume"/> returns once both have finished.
    /// </summary>
    public static async Task<TResult> RunAsync<TItem, TResult>(int capacity, Func<Func<TItem, ValueTask>, CancellationToken, Task> produce,
        Func<IAsyncEnumerable<TItem>, CancellationToken, Task<TResult>> consume, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<TItem>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readFailure = new StrongBox<Exception?>();
        var producer = Task.Run(async () =>
        {
            try
            {
                await produce(item => channel.Writer.WriteAsync(item, stop.Token), stop.Token);
            }
#pragma warning disable CA1031 // Any failure of the reader is kept and rethrown, unchanged, by RunAsync.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // Recorded before the channel completes, so the consumer, which fails on the completed channel, finds it.
                readFailure.Value = e;
            }
            finally
            {
                channel.Writer.TryComplete(readFailure.Value);
            }
        }, CancellationToken.None);

        try
        {
            var result = await consume(channel.Reader.ReadAllAsync(stop.Token), stop.Token);
            await producer;
            if (readFailure.Value is { } failure)
                ExceptionDispatchInfo.Throw(failure);
            return result;
        }
        catch
        {
            var cause = readFailure.Value;
            await stop.CancelAsync();
            await producer;
            if (cause is not null)
                ExceptionDispatchInfo.Throw(cause);
            throw;
        }
    }
}
