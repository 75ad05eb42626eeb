using System.Data.Common;
using Repl.Configuration;
using Repl.Schema;

namespace Repl.Engine;

/// <summary>
/// Matches the configured table names against the master catalog: case-insensitively, <c>schema.table</c> accepted;
/// a missing or ambiguous name is an error naming the config entry and, when ambiguous, every candidate.
/// </summary>
internal static class TableResolver
{
    /// <summary>Reads the definition of every configured table, in config order.</summary>
    public static async Task<IReadOnlyList<(TableConfig Config, TableDefinition Definition)>> ResolveAsync(
        ReplConfig config, SchemaDialect master, DbConnection connection, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var found = new List<(TableConfig, TableDefinition)>();
        for (var i = 0; i < config.Tables.Count; i++)
        {
            var table = config.Tables[i];
            var candidates = await master.Catalog.FindTablesAsync(connection, table.Name, cancellationToken);
            var key = $"tables:{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}:name";
            switch (candidates.Count)
            {
                case 0:
                    problems.Add($"{key}: table \"{table.Name}\" was not found on the master (names match case-insensitively); " +
                        "check the name, and the database master.connectionString points at.");
                    break;
                case > 1:
                    // Names differing only in letter case within one schema: MariaDB and SQLite slaves would not tell them apart.
                    problems.Add($"{key}: table \"{table.Name}\" is ambiguous on the master; it matches {string.Join(", ", candidates.Select(c => "\"" + c + "\""))}. " +
                        (candidates.Select(c => c.Schema).Distinct(StringComparer.OrdinalIgnoreCase).Count() == candidates.Count
                            ? "Write the name as schema.table."
                            : "Names that differ only in letter case cannot both be replicated; rename one of them."));
                    break;
                default:
                    try
                    {
                        found.Add((table, await master.Catalog.ReadTableAsync(connection, candidates[0], cancellationToken)));
                    }
                    catch (SchemaException e)
                    {
                        problems.Add($"{key}: {e.Message}");
                    }
                    break;
            }
        }
        var clashes = found.GroupBy(f => f.Item2.Name.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        foreach (var clash in clashes)
            problems.Add($"tables: {string.Join(" and ", clash.Select(c => c.Item2.Name.ToString()))} would have the same name on the slaves; replicate only one of them.");
        if (problems.Count > 0)
            throw new ConfigException(config.File, problems);
        return found;
    }
}
