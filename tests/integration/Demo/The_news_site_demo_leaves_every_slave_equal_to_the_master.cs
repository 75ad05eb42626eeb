using System.Runtime.CompilerServices;
using Repl.Cli;
using Repl.Configuration;
using Repl.Examples.NewsSite;
using Repl.IntegrationTests.Infrastructure;
using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Demo;

/// <summary>
/// The steps of ./demo.sh, in-process on fresh test databases: the example's master schema, a seeded site, repl init,
/// the load generator's traffic while a replay service per node runs as a child process, a snapshot of AdminUsers, one last cycle per
/// node — then every slave equals the master, compared by the test's own reader and by the load generator's verifier.
/// </summary>
public sealed class The_news_site_demo_leaves_every_slave_equal_to_the_master
{
    private const int Transactions = 300;
    private static readonly string[] Tables = ["SiteUsers", "NewsArticles", "AdminUsers"];
    private static readonly string[] NodeNames = ["pg1", "maria", "local"];

    [Fact]
    public Task With_a_postgresql_master() => RunDemoStepsAsync(Vendor.PostgreSql, "master-postgresql.sql");

    [Fact]
    public Task With_a_mariadb_master() => RunDemoStepsAsync(Vendor.MySql, "master-mariadb.sql");

    [Theory]
    [InlineData("repl.json", "postgresql")]
    [InlineData("repl.mariadb-master.json", "mysql")]
    public void The_example_configs_name_three_slaves_and_refresh_AdminUsers_by_snapshot(string file, string masterProvider)
    {
        var config = ConfigLoader.Load(ExampleFile(file), new Dictionary<string, string?>());

        Assert.Equal(masterProvider, VendorNames.Of(config.Master.Provider));
        Assert.Equal(NodeNames, config.Nodes.Select(n => n.Name));
        Assert.Equal([Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite], config.Nodes.Select(n => n.Provider));
        Assert.Equal(Tables, config.Tables.Select(t => t.Name.Name));
        Assert.Equal([TableMode.Log, TableMode.Log, TableMode.Snapshot], config.Tables.Select(t => t.Mode));
    }

    [Fact]
    public void The_readme_documents_every_verb_of_repl()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));

        var undocumented = ReplCommandLine.Verbs.Select(v => string.Join(' ', v.Words)).Where(v => !readme.Contains($"| `{v}` |", StringComparison.Ordinal));

        Assert.True(!undocumented.Any(), $"README.md's verb table has no row for: {string.Join(", ", undocumented)}; add one that matches repl <verb> --help");
    }

    private static async Task RunDemoStepsAsync(Vendor master, string schemaFile, [CallerMemberName] string test = "")
    {
        await using var replication = await Replication.CreateAsync(master, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            Statements(File.ReadAllText(ExampleFile(schemaFile))), [("SiteUsers", "log"), ("NewsArticles", "log"), ("AdminUsers", "snapshot")], test);

        await using (var connection = await replication.OpenMasterAsync())
            await new NewsWorkload(connection, seed: 8).SeedAsync(admins: 20, users: 300, articles: 60, CancellationToken.None);
        await replication.ReplOkAsync("init");
        await replication.ReplOkAsync("snapshot", "AdminUsers");

        // One replay service per node as a child process, as demo.sh and systemd run them, while the site writes.
        var services = replication.Nodes.Select(n => ReplProcess.Start(replication.ConfigPath, null, "replay", "--node", n.Name)).ToList();
        WorkloadSummary summary;
        try
        {
            foreach (var (service, node) in services.Zip(replication.Nodes))
                await service.WaitForLineAsync($"node {node.Name}: replay started", TimeSpan.FromMinutes(2));
            await using var connection = await replication.OpenMasterAsync();
            summary = await new NewsWorkload(connection, seed: 9).RunAsync(Transactions, TimeSpan.FromMinutes(10), CancellationToken.None);
            // The services apply the load by themselves (a fast load can end before their next cycle: wait for it).
            foreach (var (service, node) in services.Zip(replication.Nodes))
                await service.WaitForLineAsync($"node {node.Name}: applied", TimeSpan.FromMinutes(2));
            foreach (var service in services)
                await service.TerminateAsync();
            foreach (var service in services)
                Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        }
        finally
        {
            foreach (var service in services)
                await service.DisposeAsync();
        }
        await replication.ReplOkAsync("snapshot", "AdminUsers");
        foreach (var (node, _, _) in replication.Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once");

        Assert.Equal(Transactions, summary.Transactions);
        Assert.True(summary.UsersDeleted > 0 && summary.ArticlesDeleted > 0 && summary.ArticlesEdited > 0 && summary.AdminsUpdated > 0,
            $"the workload should insert, update and delete in every table: {summary}");
        foreach (var table in Tables)
            await replication.AssertSlavesEqualMasterAsync(table);

        var comparisons = await ReplicaVerifier.CompareAsync(NewsConfig.Load(replication.ConfigPath), CancellationToken.None);
        Assert.Equal(Tables.Length * replication.Nodes.Count, comparisons.Count);
        Assert.All(comparisons, c => Assert.True(c.Equal && c.MasterRows > 0,
            $"{c.Table} on {c.Node}: {c.MasterRows} master rows, {c.NodeRows} node rows; {string.Join("; ", c.Differences.Take(5))}"));
    }

    // The example SQL files hold plain statements separated by ';' at the end of a line, with '--' comment lines.
    private static List<string> Statements(string sql) =>
        [.. string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.TrimEnd(';'))
            .Where(s => s.Length > 0)];

    private static string ExampleFile(string name) => Path.Combine(AppContext.BaseDirectory, "examples", "news-site", name);
}
