using System.Data.Common;
using System.Reflection;
using System.Runtime.Loader;

namespace Repl.Connections;

/// <summary>
/// Finds Oracle's ADO.NET driver at run time. Its package cannot be redistributed or even fetched where repl is built,
/// so repl never references it: an operator who needs Oracle installs the DLL, and everything else works without it.
/// </summary>
internal sealed class OracleDriver
{
    /// <summary>Environment variable naming the driver DLL or the folder holding it.</summary>
    public const string PathVariable = "REPL_ORACLE_DRIVER_PATH";

    /// <summary>The driver's assembly name.</summary>
    public const string AssemblyName = "Oracle.ManagedDataAccess";

    /// <summary>The driver's <see cref="DbProviderFactory"/> type.</summary>
    public const string FactoryTypeName = "Oracle.ManagedDataAccess.Client.OracleClientFactory";

    /// <summary>The invariant name under which an application may have registered the driver with <see cref="DbProviderFactories"/>.</summary>
    public const string InvariantName = "Oracle.ManagedDataAccess.Client";

    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly string _baseDirectory;
    private readonly AssemblyLoadContext _loadContext;
    private readonly Lazy<DbProviderFactory> _factory;
    private string? _driverFolder;

    /// <summary>Creates the finder.</summary>
    /// <param name="environment">Environment variables, read for <see cref="PathVariable"/>.</param>
    /// <param name="baseDirectory">Where repl itself lives; the DLL is looked for there.</param>
    /// <param name="loadContext">Where to load the DLL; tests pass their own so the process stays clean.</param>
    public OracleDriver(IReadOnlyDictionary<string, string?> environment, string? baseDirectory = null, AssemblyLoadContext? loadContext = null)
    {
        _environment = environment;
        _baseDirectory = baseDirectory ?? AppContext.BaseDirectory;
        _loadContext = loadContext ?? AssemblyLoadContext.Default;
        // Failures are not cached: an operator may install the DLL while a long-running service retries.
        _factory = new Lazy<DbProviderFactory>(Load, LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The driver's factory; a <see cref="ReplException"/> explains how to install the driver when it is missing.</summary>
    public DbProviderFactory Factory => _factory.Value;

    private DbProviderFactory Load()
    {
        if (DbProviderFactories.TryGetFactory(InvariantName, out var registered))
            return registered;

        var assembly = LoadAssembly();
        var type = assembly.GetType(FactoryTypeName, throwOnError: false)
            ?? throw new ReplException($"{assembly.Location} does not contain {FactoryTypeName}; it is not Oracle's managed driver. {InstallHint}");
        return type.GetField("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as DbProviderFactory
            ?? throw new ReplException($"{FactoryTypeName} in {assembly.Location} has no DbProviderFactory field Instance; use the Oracle.ManagedDataAccess.Core driver. {InstallHint}");
    }

    private Assembly LoadAssembly()
    {
        var configured = _environment.GetValueOrDefault(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Directory.Exists(configured) ? Path.Combine(configured, AssemblyName + ".dll") : configured;
            if (!File.Exists(path))
                throw new ReplException($"{PathVariable} is \"{configured}\" but there is no {AssemblyName}.dll there. {InstallHint}");
            return LoadFrom(path);
        }

        try
        {
            return _loadContext.LoadFromAssemblyName(new AssemblyName(AssemblyName));
        }
        catch (FileNotFoundException)
        {
            // Not deployed with repl's dependencies; look next to the executable below.
        }

        var besideRepl = Path.Combine(_baseDirectory, AssemblyName + ".dll");
        if (File.Exists(besideRepl))
            return LoadFrom(besideRepl);
        throw new ReplException($"the Oracle driver is not installed: {AssemblyName}.dll was found neither next to repl ({_baseDirectory}) nor through {PathVariable}. {InstallHint}");
    }

    private Assembly LoadFrom(string path)
    {
        if (_driverFolder is null)
            _loadContext.Resolving += ResolveFromDriverFolder;
        _driverFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            return _loadContext.LoadFromAssemblyPath(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new ReplException($"{path} cannot be loaded as the Oracle driver: {e.Message} {InstallHint}", e);
        }
    }

    // The driver's own dependencies (System.DirectoryServices.Protocols, ...) are not part of .NET; take them from its folder.
    private Assembly? ResolveFromDriverFolder(AssemblyLoadContext context, AssemblyName name)
    {
        var candidate = Path.Combine(_driverFolder!, name.Name + ".dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }

    private const string InstallHint =
        "To use Oracle, download the Oracle.ManagedDataAccess.Core package from nuget.org (https://www.nuget.org/packages/Oracle.ManagedDataAccess.Core), "
        + "unzip the .nupkg, and put lib/net8.0/Oracle.ManagedDataAccess.dll (with the DLLs of its dependencies) next to repl, "
        + $"or set {PathVariable} to that file or its folder.";
}
