using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Repl.Schema;

namespace Repl.IntegrationTests.Properties;

/// <summary>
/// The replay invariant of DESIGN §5 as a property: for generated transaction histories over items/pairs/details (inserts,
/// updates with NULL↔value, deletes, key changes and chains of them, UNIQUE swaps, delete + re-insert, rollbacks,
/// interleaved writer sessions, a long transaction held open across a cycle) every PostgreSQL, MariaDB and SQLite slave
/// equals the master after every replay cycle. Each history runs on fresh databases.
/// CI runs 15 histories per master vendor; set REPL_PROPERTY_RUNS (e.g. 500) to run more locally. A failure prints
/// the shrunk history as SQL and as C# to paste into <see cref="Regressions"/>.
/// </summary>
public sealed class Replicated_histories_keep_every_slave_equal_to_the_master
{
    public static TheoryData<Vendor> Masters => new() { Vendor.PostgreSql, Vendor.MySql };

    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("REPL_PROPERTY_RUNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs > 0
        ? runs
        : 15;

    [Theory]
    [MemberData(nameof(Masters))]
    public async Task Every_slave_equals_the_master_after_every_cycle_of_a_generated_history(Vendor master)
    {
        var runs = Runs;
        var ran = 0;
        var test = $"Props_{master}";
        var property = Prop.ForAll(HistoryGenerator.Histories, history =>
        {
            Interlocked.Increment(ref ran);
            HistoryRunner.Run(master, history, test);
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(runs).WithEndSize(60), property), TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"{ran} histories ran against a {master} master");
        Assert.Equal(runs, ran);
    }
}
