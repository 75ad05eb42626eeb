using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Repl.Schema;

namespace Repl.IntegrationTests.Snapshot;

/// <summary>
/// The acceptance test of snapshot mode: while 100 snapshots of a 5,000-row table run one after another, with the master
/// changed between them so that every snapshot has its own row count, a reader loop on the slave counts the rows and
/// reads the known row through the view. It must only ever see complete snapshots: never 0 rows, never a count (or a
/// count and known row together) that no snapshot had, never the known row missing.
/// </summary>
public sealed class Readers_never_see_an_empty_half_loaded_or_mixed_table
{
    private const int Rows = 5_000;
    private const int Snapshots = 100;

    [Theory(Timeout = 900_000)] // 15 minutes: a hang fails this test instead of the whole run
    [InlineData(Vendor.PostgreSql)]
    [InlineData(Vendor.MySql)]
    [InlineData(Vendor.Sqlite)]
    public async Task During_100_snapshots_of_a_changing_table(Vendor slave)
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, slave, Rows, $"readers_{slave}");
        // Round r leaves Rows + r rows with the known row at Round r: the pairs every snapshot (and init's) shows.
        var complete = new ConcurrentDictionary<(long Count, long? Known), bool>();
        complete[(Rows, 0)] = true;

        await using var reader = new ReaderLoop(scenario, await scenario.OpenSlaveAsync());
        // On the thread pool, not xunit's synchronization context: a run hung here once on a loaded machine with the reader
        // connection idle between two of its statements, waiting for a context thread.
        var loop = Task.Run(reader.RunAsync, TestContext.Current.CancellationToken);
        for (var round = 1; round <= Snapshots; round++)
        {
            await scenario.ChangeMasterAsync(round);
            complete[(Rows + round, round)] = true;
            await scenario.SnapshotOkAsync();
            // Reads interleave with every snapshot, not only with the ones the scheduler happens to favour.
            await reader.WaitForReadsAsync(2);
        }
        reader.Stop();
        await loop;

        Assert.True(reader.Failures.IsEmpty, string.Join("\n", reader.Failures.Take(20)));
        var wrong = reader.Seen.Keys.Where(seen => !complete.ContainsKey(seen)).ToList();
        Assert.True(wrong.Count == 0,
            $"the reader saw (count, known row round) pairs no snapshot had: {string.Join(", ", wrong.Take(20))}");
        Assert.True(reader.Reads >= 2 * Snapshots, $"only {reader.Reads} reads");
        await scenario.AssertViewShowsRoundAsync(Snapshots);
        await scenario.Replication.AssertSlavesEqualMasterAsync(SnapshotScenario.Table);
    }

    /// <summary>Reads the view in a loop on its own connection until stopped, recording what it saw.</summary>
    private sealed class ReaderLoop(SnapshotScenario scenario, DbConnection connection) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private long _reads;

        public ConcurrentDictionary<(long Count, long? Known), bool> Seen { get; } = new();

        public ConcurrentQueue<string> Failures { get; } = new();

        public long Reads => Interlocked.Read(ref _reads);

        public async Task RunAsync()
        {
            await Task.Yield();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var (count, known) = await scenario.ReadViewAsync(connection);
                    if (count == 0)
                        Failures.Enqueue("the view had 0 rows");
                    if (known is null)
                        Failures.Enqueue(string.Create(CultureInfo.InvariantCulture, $"the known row was missing from the count ({count} rows)"));
                    Seen[(count, known)] = true;

                    await using var byKey = connection.CreateCommand();
                    byKey.CommandText = scenario.KnownRowSql();
                    if (await byKey.ExecuteScalarAsync() is null or DBNull)
                        Failures.Enqueue("the known row was missing when read by key");
                }
                catch (DbException e)
                {
                    Failures.Enqueue("reader failed: " + e.Message);
                }
                Interlocked.Increment(ref _reads);
            }
        }

        public async Task WaitForReadsAsync(int more)
        {
            var target = Reads + more;
            await SnapshotScenario.WaitUntilAsync(() => Task.FromResult(Reads >= target || !Failures.IsEmpty), "the reader to read");
        }

        public void Stop() => _stop.Cancel();

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _stop.Dispose();
            await connection.DisposeAsync();
        }
    }
}
