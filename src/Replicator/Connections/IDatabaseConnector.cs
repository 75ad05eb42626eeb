using System.Data.Common;
using Repl.Configuration;

namespace Repl.Connections;

/// <summary>Opens connections to the master and the nodes with the settings repl relies on.</summary>
internal interface IDatabaseConnector
{
    /// <summary>
    /// An open connection to the database; a failure becomes a <see cref="ReplException"/> naming the database, its
    /// redacted connection string and the driver's message.
    /// </summary>
    Task<DbConnection> OpenAsync(IDatabaseConfig database, CancellationToken cancellationToken);
}
