using System.Globalization;
using Repl.Examples.NewsSite;

// The news site's load generator (examples/news-site). Reads the master and nodes from repl.json, with the same
// REPL_..._connectionString environment overrides as repl, and never prints a connection string.
const string Usage = """
    usage: LoadGenerator [--config repl.json] --seed [--admins 50] [--users 2000] [--articles 300]
           LoadGenerator [--config repl.json] [--seconds 30] [--transactions 5000] [--random-seed 8]
           LoadGenerator [--config repl.json] --verify

      --seed          fill the empty news site tables on the master with a starting site, in one transaction
      (default)       run site traffic on the master until --seconds have passed or --transactions have run:
                      users sign up, change e-mail and leave; articles are published, edited, approved and
                      deleted; admins change e-mail; some transactions roll back
      --verify        compare every configured table on every node with the master, row by row (exit 1 on a difference)
    """;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--seed" or "--verify" or "--help" or "-h")
        flags.Add(args[i]);
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
        options[args[i]] = args[++i];
    else
    {
        Console.Error.WriteLine($"unknown argument {args[i]}\n{Usage}");
        return 2;
    }
}
if (flags.Contains("--help") || flags.Contains("-h"))
{
    Console.WriteLine(Usage);
    return 0;
}

try
{
    var config = NewsConfig.Load(options.GetValueOrDefault("--config", "repl.json"));
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };

    if (flags.Contains("--verify"))
        return await VerifyAsync(config, cancel.Token);

    await using var master = await Connections.OpenAsync(config.Master, cancel.Token);
    var workload = new NewsWorkload(master, Number("--random-seed", 8));
    if (flags.Contains("--seed"))
    {
        Console.WriteLine("load: " + await workload.SeedAsync(Number("--admins", 50), Number("--users", 2000), Number("--articles", 300), cancel.Token));
        return 0;
    }
    var summary = await workload.RunAsync(Number("--transactions", 5000), TimeSpan.FromSeconds(Number("--seconds", 30)), cancel.Token);
    Console.WriteLine("load: " + summary);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or IOException or System.Text.Json.JsonException or KeyNotFoundException or FormatException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

int Number(string name, int fallback) =>
    options.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

static async Task<int> VerifyAsync(NewsConfig config, CancellationToken cancellationToken)
{
    var results = await ReplicaVerifier.CompareAsync(config, cancellationToken);
    foreach (var table in results.GroupBy(r => r.Table))
    {
        var nodes = string.Join(", ", table.Select(r => r.Equal
            ? $"{r.Node} equal"
            : string.Create(CultureInfo.InvariantCulture, $"{r.Node} DIFFERS ({r.NodeRows:N0} rows, {r.Differences.Count:N0} differences)")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify: {table.Key}: master {table.First().MasterRows:N0} rows; {nodes}"));
        foreach (var r in table.Where(r => !r.Equal))
        {
            foreach (var difference in r.Differences.Take(5))
                Console.WriteLine($"  {r.Node}: {difference}");
        }
    }
    return results.All(r => r.Equal) ? 0 : 1;
}
