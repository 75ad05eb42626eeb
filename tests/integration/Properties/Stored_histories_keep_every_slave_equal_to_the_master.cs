using Repl.Schema;

namespace Repl.IntegrationTests.Properties;

/// <summary>Each stored history of <see cref="Regressions"/> replays on both master vendors with every slave equal to the master.</summary>
public sealed class Stored_histories_keep_every_slave_equal_to_the_master
{
    public static TheoryData<string, Vendor> Cases
    {
        get
        {
            var cases = new TheoryData<string, Vendor>();
            foreach (var name in Regressions.All.Keys)
            {
                cases.Add(name, Vendor.PostgreSql);
                cases.Add(name, Vendor.MySql);
            }
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Stored_history_leaves_every_slave_equal_to_the_master(string name, Vendor master)
    {
        var history = Regressions.All[name];
        Assert.True(HistoryModel.IsValid(history), "the stored history is not valid:\n" + history);

        await HistoryRunner.RunAsync(master, history, $"Regression_{name}_{master}");
    }
}
