using System.Text.Json;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// The repl.json the integration tests and the bench's chaos run replay with: one master, the given tables and nodes, a
/// one-second replay interval and batches of 500 rows (so even small workloads take several batches per cycle).
/// Free of the test framework: the bench links it.
/// </summary>
internal static class ReplConfigFile
{
    public static string Json(Vendor master, string masterConnectionString,
        IEnumerable<(string Name, Vendor Vendor, string ConnectionString)> nodes, IEnumerable<(string Name, string Mode)> tables) =>
        JsonSerializer.Serialize(new
        {
            master = new { provider = VendorNames.Of(master), connectionString = masterConnectionString },
            tables = tables.Select(t => new { name = t.Name, mode = t.Mode }),
            nodes = nodes.ToDictionary(n => n.Name, n => new { provider = VendorNames.Of(n.Vendor), connectionString = n.ConnectionString }),
            replay = new { interval = "00:00:01", batchSize = 500 },
        });
}
