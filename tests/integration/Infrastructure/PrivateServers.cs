using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using Npgsql;

namespace Repl.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL + MariaDB pair of this process's own, started with eng/servers.sh on free ports in a folder under /tmp,
/// that fault tests may stop and start at will (each server alone; a restart keeps the data). The shared test servers
/// on 55432/53306 are never touched. Disposing stops both servers and deletes the folder.
/// </summary>
public sealed class PrivateServers : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _directory;
    private readonly int _pgPort;
    private readonly int _myPort;

    private PrivateServers(string script, string directory, int pgPort, int myPort)
    {
        _script = script;
        _directory = directory;
        _pgPort = pgPort;
        _myPort = myPort;
    }

    /// <summary>Connection string of the PostgreSQL maintenance database (unpooled: the server comes and goes).</summary>
    public string PostgreSqlAdmin => string.Create(CultureInfo.InvariantCulture,
        $"Host=127.0.0.1;Port={_pgPort};Username=postgres;Database=postgres;Pooling=false");

    /// <summary>Connection string of the MariaDB server, no database selected (unpooled).</summary>
    public string MySqlAdmin => string.Create(CultureInfo.InvariantCulture,
        $"Server=127.0.0.1;Port={_myPort};User ID=repl;Password=repl-test-pw;AllowLoadLocalInfile=true;AllowUserVariables=true;Pooling=false");

    /// <summary>Starts a fresh pair (initdb and mariadb-install-db in a new folder) on two free ports.</summary>
    public static async Task<PrivateServers> StartAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "servers.sh");
        var pgPort = FreePort();
        var myPort = FreePort();
        while (myPort == pgPort)
            myPort = FreePort();
        // Short: the MariaDB socket path must stay under the 107-byte limit of a Unix socket address.
        var directory = Path.Combine("/tmp", "repl-private-" + pgPort.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        var servers = new PrivateServers(script, directory, pgPort, myPort);
        await servers.RunAsync("up", cancellationToken);
        return servers;
    }

    /// <summary>Stops the PostgreSQL server (fast shutdown: sessions are cut as in a crash of the clients' peer).</summary>
    public Task StopPostgreSqlAsync(CancellationToken cancellationToken) => RunAsync("down-pg", cancellationToken);

    /// <summary>Starts the PostgreSQL server again on the same data and port.</summary>
    public Task StartPostgreSqlAsync(CancellationToken cancellationToken) => RunAsync("up-pg", cancellationToken);

    /// <summary>Stops the MariaDB server.</summary>
    public Task StopMySqlAsync(CancellationToken cancellationToken) => RunAsync("down-mysql", cancellationToken);

    /// <summary>Starts the MariaDB server again on the same data and port.</summary>
    public Task StartMySqlAsync(CancellationToken cancellationToken) => RunAsync("up-mysql", cancellationToken);

    /// <summary>Creates (dropping any leftover) a PostgreSQL database and returns its connection string.</summary>
    public async Task<string> NewPostgreSqlDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using (var admin = new NpgsqlConnection(PostgreSqlAdmin))
        {
            await admin.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return new NpgsqlConnectionStringBuilder(PostgreSqlAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>Creates (dropping any leftover) a MariaDB database and returns its connection string.</summary>
    public async Task<string> NewMySqlDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using (var admin = new MySqlConnection(MySqlAdmin))
        {
            await admin.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", admin);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return new MySqlConnectionStringBuilder(MySqlAdmin) { Database = name }.ConnectionString;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await RunAsync("down", CancellationToken.None);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder under /tmp is harmless.
        }
    }

    private async Task RunAsync(string command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(_script);
        info.ArgumentList.Add(command);
        info.Environment["REPL_SERVERS_DIR"] = _directory;
        info.Environment["REPL_PG_PORT"] = _pgPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["REPL_MYSQL_PORT"] = _myPort.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"eng/servers.sh {command} (REPL_SERVERS_DIR={_directory}) exited {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Replicator.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"Replicator.sln not found above {AppContext.BaseDirectory}; eng/servers.sh is needed to start private servers.");
    }
}
