using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Repl.Schema;

namespace Repl.Configuration;

/// <summary>
/// Turns the merged configuration into <see cref="ReplConfig"/>, collecting every problem (each prefixed with its key
/// path) instead of stopping at the first, so an operator fixes the file in one go.
/// </summary>
internal sealed partial class ConfigBinder(ConfigFile file, EnvironmentOverrides overrides)
{
    private const string DatabaseShape = "{ \"provider\": \"postgresql\", \"connectionString\": \"...\" }";
    private static readonly string[] RootKeys = ["master", "tables", "nodes", "replay", "purge"];
    private static readonly string[] DatabaseKeys = ["provider", "connectionString"];
    private static readonly string[] TableKeys = ["name", "mode"];
    private static readonly string[] ReplayKeys = ["interval", "batchSize", "metricsPort"];
    private static readonly string[] PurgeKeys = ["interval", "batchSize"];

    private readonly List<string> _problems = [];

    /// <summary>Binds and validates; throws a <see cref="ConfigException"/> with all problems when there is any.</summary>
    public ReplConfig Bind(IConfiguration configuration)
    {
        CheckKeys(configuration.GetChildren(), "", RootKeys);
        var master = BindMaster(configuration.GetSection("master"));
        var tables = BindTables(configuration.GetSection("tables"));
        var nodes = BindNodes(configuration.GetSection("nodes"));
        var replay = BindReplay(configuration.GetSection("replay"));
        var purge = BindPurge(configuration.GetSection("purge"));
        if (_problems.Count > 0 || master is null)
            throw new ConfigException(file.Path, [.. _problems]);
        return new ReplConfig(file.Path, master, tables, nodes, replay) { Purge = purge };
    }

    private MasterConfig? BindMaster(IConfigurationSection section)
    {
        if (IsMissing(section))
        {
            Problem(section.Path, $"missing; add \"master\": {DatabaseShape}");
            return null;
        }
        if (!IsObject(section, DatabaseShape))
            return null;
        CheckKeys(section.GetChildren(), section.Path, DatabaseKeys);
        var provider = Provider(section.GetSection("provider"));
        if (provider == Vendor.Sqlite)
        {
            Problem(section.GetSection("provider").Path, "sqlite can only be a slave (a node); the master must be postgresql, mysql or oracle");
            provider = null;
        }
        var connectionString = ConnectionString(section.GetSection("connectionString"));
        return provider is { } p && connectionString is { } c ? new MasterConfig(p, c) : null;
    }

    private List<TableConfig> BindTables(IConfigurationSection section)
    {
        const string Shape = "[ { \"name\": \"SiteUsers\" }, { \"name\": \"AdminUsers\", \"mode\": \"snapshot\" } ]";
        var tables = new List<TableConfig>();
        if (IsMissing(section))
        {
            Problem(section.Path, $"no tables listed; add at least one, e.g. \"tables\": {Shape}");
            return tables;
        }
        if (!IsObject(section, "a list " + Shape))
            return tables;
        var items = section.GetChildren().ToList();
        if (items.Any(i => !int.TryParse(i.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            Problem(section.Path, $"expected a list {Shape}, found an object");
            return tables;
        }

        var firstKeyOfName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items.OrderBy(i => int.Parse(i.Key, CultureInfo.InvariantCulture)))
        {
            if (!IsObject(item, "an object { \"name\": \"SiteUsers\" }"))
                continue;
            CheckKeys(item.GetChildren(), item.Path, TableKeys);
            var nameSection = item.GetSection("name");
            if (!TryScalar(nameSection, out var text))
                continue;
            text = text?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                Problem(nameSection.Path, "missing; every table needs a name (name or schema.name)");
                continue;
            }
            var name = DbObjectName.Parse(text);
            if (name.Name.Length == 0 || name.Schema?.Length == 0)
            {
                Problem(nameSection.Path, $"\"{text}\" is not a table name; write name or schema.name");
                continue;
            }
            var mode = Mode(item.GetSection("mode"), text);
            if (firstKeyOfName.TryGetValue(name.ToString(), out var firstKey))
            {
                Problem(nameSection.Path, $"table \"{text}\" is listed twice (first as {firstKey}); table names match the master ignoring case");
                continue;
            }
            firstKeyOfName.Add(name.ToString(), nameSection.Path);
            if (mode is { } m)
                tables.Add(new TableConfig(name, m));
        }
        return tables;
    }

    private List<NodeConfig> BindNodes(IConfigurationSection section)
    {
        const string Shape = "{ \"pg1\": " + DatabaseShape + " }";
        var nodes = new List<NodeConfig>();
        if (IsMissing(section))
        {
            Problem(section.Path, $"no nodes listed; add at least one slave, e.g. \"nodes\": {Shape}");
            return nodes;
        }
        if (!IsObject(section, "named nodes " + Shape))
            return nodes;
        var items = section.GetChildren().ToList();
        if (items.All(i => int.TryParse(i.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            Problem(section.Path, $"expected named nodes {Shape}, found a list");
            return nodes;
        }

        foreach (var item in items.OrderBy(i => FileOrder(i.Key)).ThenBy(i => i.Key, StringComparer.OrdinalIgnoreCase))
        {
            var name = item.Key;
            var usable = NodeName().IsMatch(name);
            if (!usable)
            {
                Problem(item.Path, $"node name \"{name}\" cannot be used: it becomes part of table names such as repl.processed_{name}, "
                    + "so it must start with a letter, hold only letters, digits and _, and be at most 30 characters");
            }
            if (!IsObject(item, DatabaseShape))
                continue;
            CheckKeys(item.GetChildren(), item.Path, DatabaseKeys);
            var provider = Provider(item.GetSection("provider"));
            var connectionString = ConnectionString(item.GetSection("connectionString"));
            if (usable && provider is { } p && connectionString is { } c)
                nodes.Add(new NodeConfig(name, p, c));
        }
        return nodes;
    }

    private ReplayConfig BindReplay(IConfigurationSection section)
    {
        var defaults = ReplayConfig.Default;
        if (IsMissing(section))
            return defaults;
        if (!IsObject(section, "{ \"interval\": \"00:00:05\", \"batchSize\": 10000 }"))
            return defaults;
        CheckKeys(section.GetChildren(), section.Path, ReplayKeys);

        var interval = defaults.Interval;
        var intervalSection = section.GetSection("interval");
        if (TryScalar(intervalSection, out var intervalText) && !string.IsNullOrWhiteSpace(intervalText))
        {
            // TimeSpan alone reads "5" as five days; insisting on hh:mm:ss keeps the unit visible.
            intervalText = intervalText.Trim();
            if (!intervalText.Contains(':', StringComparison.Ordinal)
                || !TimeSpan.TryParse(intervalText, CultureInfo.InvariantCulture, out interval))
                Problem(intervalSection.Path, $"\"{intervalText}\" is not a time span; write hh:mm:ss, e.g. \"00:00:05\"");
            else if (interval <= TimeSpan.Zero)
                Problem(intervalSection.Path, $"\"{intervalText}\" must be greater than zero, e.g. \"00:00:05\"");
        }

        var batchSize = defaults.BatchSize;
        var batchSection = section.GetSection("batchSize");
        if (TryScalar(batchSection, out var batchText) && !string.IsNullOrWhiteSpace(batchText)
            && (!int.TryParse(batchText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out batchSize) || batchSize <= 0))
        {
            Problem(batchSection.Path, $"\"{batchText.Trim()}\" is not a positive whole number, e.g. 10000");
            batchSize = defaults.BatchSize;
        }

        int? metricsPort = null;
        var portSection = section.GetSection("metricsPort");
        if (TryScalar(portSection, out var portText) && !string.IsNullOrWhiteSpace(portText))
        {
            if (int.TryParse(portText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
                metricsPort = port;
            else
                Problem(portSection.Path, $"\"{portText.Trim()}\" is not a TCP port; write a whole number from 1 to 65535, e.g. 9464, or leave metricsPort out to serve no metrics");
        }

        return new ReplayConfig(interval, batchSize, metricsPort);
    }

    private PurgeConfig BindPurge(IConfigurationSection section)
    {
        var defaults = PurgeConfig.Default;
        if (IsMissing(section))
            return defaults;
        if (!IsObject(section, "{ \"interval\": \"00:10:00\", \"batchSize\": 5000 }"))
            return defaults;
        CheckKeys(section.GetChildren(), section.Path, PurgeKeys);

        var interval = defaults.Interval;
        var intervalSection = section.GetSection("interval");
        if (TryScalar(intervalSection, out var intervalText) && !string.IsNullOrWhiteSpace(intervalText))
        {
            intervalText = intervalText.Trim();
            if (string.Equals(intervalText, "off", StringComparison.OrdinalIgnoreCase))
                interval = null;
            else if (!intervalText.Contains(':', StringComparison.Ordinal)
                || !TimeSpan.TryParse(intervalText, CultureInfo.InvariantCulture, out var parsed))
                Problem(intervalSection.Path, $"\"{intervalText}\" is not a time span; write hh:mm:ss, e.g. \"00:10:00\", or \"off\" to purge only with repl purge");
            else if (parsed <= TimeSpan.Zero)
                Problem(intervalSection.Path, $"\"{intervalText}\" must be greater than zero, e.g. \"00:10:00\", or \"off\" to purge only with repl purge");
            else
                interval = parsed;
        }

        var batchSize = defaults.BatchSize;
        var batchSection = section.GetSection("batchSize");
        if (TryScalar(batchSection, out var batchText) && !string.IsNullOrWhiteSpace(batchText)
            && (!int.TryParse(batchText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out batchSize) || batchSize <= 0))
        {
            Problem(batchSection.Path, $"\"{batchText.Trim()}\" is not a positive whole number, e.g. 5000");
            batchSize = defaults.BatchSize;
        }

        return new PurgeConfig(interval, batchSize);
    }

    private Vendor? Provider(IConfigurationSection section)
    {
        var expected = "expected one of " + string.Join(", ", VendorNames.All);
        if (!TryScalar(section, out var text))
            return null;
        if (string.IsNullOrWhiteSpace(text))
        {
            Problem(section.Path, $"missing; {expected}");
            return null;
        }
        var vendor = VendorNames.TryParse(text);
        if (vendor is null)
            Problem(section.Path, $"unknown provider \"{text}\"; {expected}");
        return vendor;
    }

    private string? ConnectionString(IConfigurationSection section)
    {
        if (!TryScalar(section, out var text))
            return null;
        if (!string.IsNullOrWhiteSpace(text))
            return text;
        Problem(section.Path, $"missing or empty; set it in the file or with the environment variable {EnvironmentOverrides.VariableName(section.Path)}");
        return null;
    }

    private TableMode? Mode(IConfigurationSection section, string table)
    {
        if (!TryScalar(section, out var text))
            return null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || string.Equals(text, "log", StringComparison.OrdinalIgnoreCase))
            return TableMode.Log;
        if (string.Equals(text, "snapshot", StringComparison.OrdinalIgnoreCase))
            return TableMode.Snapshot;
        Problem(section.Path, $"unknown mode \"{text}\" for table {table}; expected log or snapshot");
        return null;
    }

    private void CheckKeys(IEnumerable<IConfigurationSection> children, string path, string[] known)
    {
        foreach (var child in children)
        {
            if (known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                continue;
            var level = path.Length == 0 ? "the top level" : path;
            Problem(child.Path, $"unknown key; known keys at {level}: {string.Join(", ", known)}");
        }
    }

    // JSON null and {} both arrive as an empty value without children.
    private static bool IsMissing(IConfigurationSection section) =>
        string.IsNullOrEmpty(section.Value) && !section.GetChildren().Any();

    private bool IsObject(IConfigurationSection section, string shape)
    {
        if (section.GetChildren().Any())
            return true;
        // The value itself is not printed: it may be a connection string with a password.
        Problem(section.Path, $"expected {shape}, found a single value");
        return false;
    }

    private bool TryScalar(IConfigurationSection section, out string? value)
    {
        value = section.Value;
        if (!section.GetChildren().Any())
            return true;
        Problem(section.Path, "expected a single value, found an object or list");
        return false;
    }

    private void Problem(string path, string text)
    {
        var variable = overrides.VariableUnder(path);
        _problems.Add(variable is null ? $"{path}: {text}" : $"{path}: {text} (set by environment variable {variable})");
    }

    private int FileOrder(string node)
    {
        for (var i = 0; i < file.NodeOrder.Count; i++)
        {
            if (string.Equals(file.NodeOrder[i], node, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return int.MaxValue;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,29}$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeName();
}
