namespace Repl.Configuration;

/// <summary>The configuration cannot be used; carries every problem found, each naming its config key path.</summary>
internal sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for the problems found in the configuration read from <paramref name="file"/>.</summary>
    public ConfigException(string file, IReadOnlyList<string> problems)
        : base(Describe(file, problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>Creates the exception with a single problem and no known file.</summary>
    public ConfigException(string message) : this(message, (Exception?)null) { }

    /// <summary>Creates the exception with a single problem, no known file and the underlying cause.</summary>
    public ConfigException(string message, Exception? innerException) : base(message, innerException)
    {
        File = "";
        Problems = [message];
    }

    /// <summary>Parameterless constructor required by convention.</summary>
    public ConfigException() : this("the configuration is not usable") { }

    /// <summary>The config file the problems were found in (empty when unknown).</summary>
    public string File { get; }

    /// <summary>Every problem found, each starting with the config key path it concerns.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string file, IReadOnlyList<string> problems) =>
        $"config {file}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}"
        + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
}
