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

    /// <summary>
    /// Streams the rows of a whole-table read (initial load, resync, snapshot) from <paramref name="read"/> to
    /// <paramref name="load"/> through <see cref="RunAsync"/>, in chunks of <see cref="RowChunk"/> rows with at most
    /// <see cref="ChunksAhead"/> chunks in flight: a channel operation per row would cost more than the row itself.
    /// </summary>
    public static Task<TResult> RowsAsync<TResult>(Func<CancellationToken, IAsyncEnumerable<object?[]>> read,
        Func<IAsyncEnumerable<object?[]>, CancellationToken, Task<TResult>> load, CancellationToken cancellationToken) =>
        RunAsync<List<object?[]>, TResult>(ChunksAhead,
            async (emit, token) =>
            {
                var chunk = new List<object?[]>(RowChunk);
                await foreach (var row in read(token))
                {
                    chunk.Add(row);
                    if (chunk.Count == RowChunk)
                    {
                        await emit(chunk);
                        chunk = new List<object?[]>(RowChunk);
                    }
                }
                if (chunk.Count > 0)
                    await emit(chunk);
            },
            (chunks, token) => load(Flatten(chunks), token),
            cancellationToken);

    /// <summary>Rows per chunk handed from the reading task to the loading one.</summary>
    public const int RowChunk = 1_000;

    /// <summary>Chunks the reader may be ahead of the loader: 8,000 rows at most in memory.</summary>
    public const int ChunksAhead = 8;

    private static async IAsyncEnumerable<object?[]> Flatten(IAsyncEnumerable<List<object?[]>> chunks)
    {
        await foreach (var chunk in chunks)
            foreach (var row in chunk)
                yield return row;
    }
}
