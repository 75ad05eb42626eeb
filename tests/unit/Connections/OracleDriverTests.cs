using System.Runtime.Loader;
using Repl.Configuration;
using Repl.Connections;
using Repl.Schema;

namespace Repl.Tests.Connections;

public sealed class OracleDriverTests
{
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    // Each test loads into its own context, so a stand-in loaded by one test is never found by another.
    private static AssemblyLoadContext OwnContext() => new(nameof(OracleDriverTests), isCollectible: true);

    [Fact]
    public void Missing_driver_says_how_to_install_it()
    {
        var driver = new OracleDriver(NoEnvironment, FakeOracleDriver.NewFolder(), OwnContext());

        var e = Assert.Throws<ReplException>(() => driver.Factory);

        Assert.StartsWith("the Oracle driver is not installed: Oracle.ManagedDataAccess.dll was found neither next to repl", e.Message, StringComparison.Ordinal);
        Assert.Contains("Oracle.ManagedDataAccess.Core", e.Message, StringComparison.Ordinal);
        Assert.Contains("put lib/net8.0/Oracle.ManagedDataAccess.dll", e.Message, StringComparison.Ordinal);
        Assert.Contains("REPL_ORACLE_DRIVER_PATH", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Driver_path_variable_naming_nothing_is_reported()
    {
        var folder = FakeOracleDriver.NewFolder();
        var environment = new Dictionary<string, string?> { [OracleDriver.PathVariable] = folder };

        var e = Assert.Throws<ReplException>(() => new OracleDriver(environment, folder, OwnContext()).Factory);

        Assert.StartsWith($"REPL_ORACLE_DRIVER_PATH is \"{folder}\" but there is no Oracle.ManagedDataAccess.dll there.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Driver_is_loaded_from_the_path_variable_as_file_or_folder(bool nameTheFile)
    {
        var folder = FakeOracleDriver.NewFolder();
        var dll = FakeOracleDriver.WriteTo(folder);
        var environment = new Dictionary<string, string?> { [OracleDriver.PathVariable] = nameTheFile ? dll : folder };

        var factory = new OracleDriver(environment, FakeOracleDriver.NewFolder(), OwnContext()).Factory;

        Assert.Equal(OracleDriver.FactoryTypeName, factory.GetType().FullName);
    }

    [Fact]
    public void Driver_is_loaded_from_next_to_repl()
    {
        var folder = FakeOracleDriver.NewFolder();
        FakeOracleDriver.WriteTo(folder);

        var factory = new OracleDriver(NoEnvironment, folder, OwnContext()).Factory;

        Assert.Equal(OracleDriver.FactoryTypeName, factory.GetType().FullName);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_refused_naming_it()
    {
        var folder = FakeOracleDriver.NewFolder();
        Directory.CreateDirectory(folder);
        var dll = Path.Combine(folder, OracleDriver.AssemblyName + ".dll");
        File.WriteAllText(dll, "not a driver");

        var e = Assert.Throws<ReplException>(() => new OracleDriver(NoEnvironment, folder, OwnContext()).Factory);

        Assert.StartsWith($"{dll} cannot be loaded as the Oracle driver: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_an_oracle_master_without_the_driver_names_the_database_and_hides_the_password()
    {
        var connector = new DatabaseConnector(new OracleDriver(NoEnvironment, FakeOracleDriver.NewFolder(), OwnContext()));
        var master = new MasterConfig(Vendor.Oracle, "User Id=repl;Password=tiger42;Data Source=ora:1521/news");

        var e = await Assert.ThrowsAsync<ReplException>(() => connector.OpenAsync(master, TestContext.Current.CancellationToken));

        Assert.StartsWith("cannot connect to master (oracle, User Id=repl;Password=***;Data Source=ora:1521/news): the Oracle driver is not installed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tiger42", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connector_creates_the_connection_through_the_loaded_factory()
    {
        var folder = FakeOracleDriver.NewFolder();
        FakeOracleDriver.WriteTo(folder);
        var connector = new DatabaseConnector(new OracleDriver(NoEnvironment, folder, OwnContext()));

        var e = await Assert.ThrowsAsync<ReplException>(() => connector.OpenAsync(new NodeConfig("ora", Vendor.Oracle, "Data Source=x"), TestContext.Current.CancellationToken));

        // The stand-in factory is DbProviderFactory's default, which creates no connection: proof it was the one used.
        Assert.Equal("cannot connect to node ora (oracle, Data Source=x): Oracle.ManagedDataAccess.Client.OracleClientFactory created no connection; the installed Oracle driver is not usable.", e.Message);
    }
}
