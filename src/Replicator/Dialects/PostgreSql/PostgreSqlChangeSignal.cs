using Npgsql;

namespace Repl.Dialects.PostgreSql;

/// <summary>LISTEN on the channel the capture triggers NOTIFY; owns its connection.</summary>
internal sealed class PostgreSqlChangeSignal(NpgsqlConnection connection) : IChangeSignal
{
    /// <inheritdoc/>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        connection.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
