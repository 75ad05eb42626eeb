using MySqlConnector;
using Npgsql;
using Repl.IntegrationTests.Infrastructure;

namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// <c>repl init</c> run in the test process, leaving no node lock behind. Init takes the node locks on a pooled master
/// connection, and closing a pooled connection keeps its session, locks included, alive in the pool of the process that
/// ran it: a <c>repl init</c> process releases them by exiting, a test must end those sessions itself or the replay that
/// follows finds its node locked (Init_leaves_no_node_lock_behind_in_the_process_that_ran_it shows it).
/// </summary>
internal static class InitInProcess
{
    /// <summary>Runs <c>repl init</c> and closes the idle pooled sessions it leaves behind.</summary>
    public static async Task InitAsync(this Replication replication)
    {
        await replication.ReplOkAsync("init");
        NpgsqlConnection.ClearAllPools();
        await MySqlConnection.ClearAllPoolsAsync();
    }
}
