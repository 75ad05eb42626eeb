using System.Diagnostics;
using System.Globalization;
using System.Text;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Verify;

/// <summary>
/// Issue 7: verify on a 1,200-table master finishes in seconds, not minutes. One connection per side serves every table;
/// the elapsed time is printed (no timing assertion: the test machine is shared).
/// </summary>
public sealed class Verify_of_1200_tables(ITestOutputHelper output)
{
    private const int Tables = 1200;

    [Fact]
    public async Task Verify_of_1200_small_tables_reports_equal_and_prints_its_time()
    {
        var schema = new StringBuilder();
        for (var i = 0; i < Tables; i++)
            schema.Append(CultureInfo.InvariantCulture,
                $"CREATE TABLE t{i:0000} (id integer PRIMARY KEY, name text); INSERT INTO t{i:0000} VALUES (1, 'a'), (2, 'b'), (3, NULL);\n");
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql], [schema.ToString()],
            [.. Enumerable.Range(0, Tables).Select(i => (string.Create(CultureInfo.InvariantCulture, $"t{i:0000}"), "log"))]);
        var clock = Stopwatch.StartNew();
        await replication.ReplOkAsync("init");
        output.WriteLine($"init of {Tables} tables: {clock.Elapsed.TotalSeconds:0.0} s");
        await Verify_compares_master_and_nodes_across_vendors.ExecuteOnNodeAsync(replication, "pg", "UPDATE t0777 SET name = 'damaged' WHERE id = 2");

        clock.Restart();
        var (exit, report, text) = await VerifyScenario.VerifyJsonAsync(replication);
        var elapsed = clock.Elapsed;
        output.WriteLine($"verify of {Tables} tables PostgreSQL -> PostgreSQL: {elapsed.TotalSeconds:0.00} s (repl's own figure {report.GetProperty("durationSeconds").GetDouble():0.00} s)");

        Assert.True(exit == 1, text);
        var tables = report.GetProperty("nodes")[0].GetProperty("tables");
        Assert.Equal(Tables, tables.GetArrayLength());
        Assert.Equal(Tables - 1, tables.EnumerateArray().Count(t => t.GetProperty("equal").GetBoolean()));
        Assert.Equal(["changed id=2 [name]"], VerifyScenario.Keys(report, "pg", "t0777"));
    }
}
