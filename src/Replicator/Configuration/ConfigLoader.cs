using Microsoft.Extensions.Configuration;

namespace Repl.Configuration;

/// <summary>Loads <see cref="ReplConfig"/>: the JSON file, overridden by <c>REPL_</c> environment variables, then validated.</summary>
internal static class ConfigLoader
{
    /// <summary>The file used when <c>--config</c> is not given.</summary>
    public const string DefaultPath = "repl.json";

    /// <summary>
    /// Reads and validates the configuration; a <see cref="ConfigException"/> lists every problem found, each naming its key path.
    /// </summary>
    /// <param name="path">The config file (relative paths are taken from the current directory).</param>
    /// <param name="environment">Environment variables to take overrides from; the process's in production, a test's own set in tests.</param>
    public static ReplConfig Load(string path, IReadOnlyDictionary<string, string?> environment)
    {
        var file = ConfigFile.Read(path);
        var overrides = EnvironmentOverrides.From(environment);
        IConfigurationRoot configuration;
        using (var content = file.OpenContent())
        {
            try
            {
                configuration = new ConfigurationBuilder()
                    .AddJsonStream(content)
                    .AddInMemoryCollection(overrides.Values)
                    .Build();
            }
            catch (FormatException e)
            {
                throw new ConfigException(file.Path, [e.Message]);
            }
        }
        return new ConfigBinder(file, overrides).Bind(configuration);
    }
}
