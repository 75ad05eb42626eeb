using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// DESIGN §5's invariant seen from a slave's reader: while writers keep cross-table invariants on the master and replay
/// cycles run back to back, a reader that checks the invariants in one slave transaction after another never finds one
/// broken — each slave commit is one whole master snapshot, never part of a transaction or a mix of two moments.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed partial class A_slave_reader_never_sees_a_broken_invariant_during_replay
{
    private static readonly TimeSpan WritingTime = TimeSpan.FromSeconds(10);

    public static TheoryData<Vendor, Vendor> Pairs => new()
    {
        { Vendor.PostgreSql, Vendor.PostgreSql },
        { Vendor.PostgreSql, Vendor.Sqlite },
        { Vendor.MySql, Vendor.MySql },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Money_totals_and_whole_families_hold_in_every_slave_snapshot(Vendor master, Vendor slave)
    {
        var workload = new InvariantWorkload(master);
        await using var replication = await Replication.CreateAsync(master, [slave], workload.Schema, InvariantWorkload.Tables,
            test: $"{nameof(Money_totals_and_whole_families_hold_in_every_slave_snapshot)}_{master}_{slave}");
        var node = Replication.NodeName(slave);
        await replication.ReplOkAsync("init");

        using var writing = new CancellationTokenSource();
        using var reading = new CancellationTokenSource();
        // On threads of their own: Microsoft.Data.Sqlite's async calls complete synchronously and would never yield.
        var ct = TestContext.Current.CancellationToken;
        var writers = new[]
        {
            Task.Run(() => WriteAsync(replication, c => workload.MoveMoneyAsync(c, 1, writing.Token)), ct),
            Task.Run(() => WriteAsync(replication, c => workload.MoveMoneyAsync(c, 2, writing.Token)), ct),
            Task.Run(() => WriteAsync(replication, c => workload.BuildFamiliesAsync(c, 3, writing.Token)), ct),
        };
        var reader = Task.Run(() => ReadAsync(replication, node, slave, reading.Token), ct);

        var cycles = 0;
        var applying = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < WritingTime)
            {
                if (writers.Concat([reader]).FirstOrDefault(t => t.IsFaulted) is { } failed)
                    await failed;
                applying += await ReplayOnceAsync(replication, node) > 0 ? 1 : 0;
                cycles++;
            }
            await writing.CancelAsync();
            await Task.WhenAll(writers);
            await ReplayOnceAsync(replication, node);
        }
        finally
        {
            // Also when something failed: writers and reader must not outlive the test.
            await writing.CancelAsync();
            await reading.CancelAsync();
        }
        var (checks, states, violations) = await reader;

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cycles} cycles ({applying} applied something); master: {workload.Committed} committed, {workload.RolledBack} rolled back, {workload.Aborted} aborted; reader: {checks} checks, {states} different states"));
        Assert.True(violations.Count == 0, $"the reader saw {violations.Count} broken state(s) in {checks} checks:\n{string.Join("\n", violations.Take(20))}");
        Assert.True(checks > 50, $"the reader made only {checks} checks");
        Assert.True(applying >= 3, $"only {applying} of {cycles} cycles applied anything");
        Assert.True(states >= 3, $"the reader saw only {states} different states: it did not read while replay wrote");
        foreach (var (table, _) in InvariantWorkload.Tables)
            await replication.AssertSlavesEqualMasterAsync(table);
        await using var masterConnection = await replication.OpenMasterAsync();
        var (onMaster, _) = await InvariantWorkload.CheckAsync(masterConnection, master);
        Assert.Empty(onMaster);
    }

    private static async Task WriteAsync(Replication replication, Func<System.Data.Common.DbConnection, Task> write)
    {
        await using var connection = await replication.OpenMasterAsync();
        await write(connection);
    }

    private static async Task<(int Checks, int States, List<string> Violations)> ReadAsync(Replication replication, string node, Vendor vendor,
        CancellationToken stop)
    {
        await using var connection = await replication.OpenNodeAsync(node);
        await InvariantWorkload.PrepareReaderAsync(connection, vendor);
        var checks = 0;
        var states = new HashSet<long>();
        var violations = new List<string>();
        // One more check after the stop: the final cycle's state is read too.
        var last = false;
        while (!last)
        {
            last = stop.IsCancellationRequested;
            var (broken, children) = await InvariantWorkload.CheckAsync(connection, vendor);
            checks++;
            states.Add(children);
            violations.AddRange(broken.Select(b => string.Create(CultureInfo.InvariantCulture, $"check {checks}: {b}")));
        }
        return (checks, states.Count, violations);
    }

    private static async Task<long> ReplayOnceAsync(Replication replication, string node)
    {
        var output = await replication.ReplOkAsync("replay", "--node", node, "--once");
        var applied = Applied().Match(output.Text);
        Assert.True(applied.Success, $"replay --once printed no summary:\n{output.Text}");
        return long.Parse(applied.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"applied (\d+) transaction", RegexOptions.CultureInvariant)]
    private static partial Regex Applied();
}
