using Repl.IntegrationTests.Infrastructure;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// One <see cref="PrivateServers"/> pair per fault-test class: the tests stop and start these servers, never the shared ones.
/// Without PostgreSQL and MariaDB binaries (eng/servers.sh cannot start them) the tests fail with the script's message.
/// </summary>
public sealed class PrivateServersFixture : IAsyncLifetime
{
    private PrivateServers? _servers;

    /// <summary>The started pair.</summary>
    public PrivateServers Servers => _servers ?? throw new InvalidOperationException("the private servers are not started");

    /// <inheritdoc/>
    public async ValueTask InitializeAsync() => _servers = await PrivateServers.StartAsync(CancellationToken.None);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_servers is not null)
            await _servers.DisposeAsync();
    }
}
