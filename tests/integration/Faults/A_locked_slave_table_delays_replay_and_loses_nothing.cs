using Repl.IntegrationTests.ReplayService;
using Repl.Schema;

namespace Repl.IntegrationTests.Faults;

/// <summary>
/// Issue 9: another session holds a slave table locked for many cycles (PostgreSQL: LOCK TABLE in an open transaction;
/// MariaDB: row locks of SELECT … FOR UPDATE in an open transaction) while the master keeps committing. The service
/// waits or retries, does not exit, and after the lock is released the slave equals the master.
/// </summary>
[Collection(OneAtATime.Name)]
public sealed class A_locked_slave_table_delays_replay_and_loses_nothing(PrivateServersFixture fixture) : IClassFixture<PrivateServersFixture>
{
    public static TheoryData<Vendor> Slaves => [Vendor.PostgreSql, Vendor.MySql];

    [Theory]
    [MemberData(nameof(Slaves))]
    public async Task The_service_waits_out_the_lock_and_catches_up_after_it_is_released(Vendor slave)
    {
        var (bed, workload) = await FaultSteps.InitAsync(fixture.Servers, Vendor.PostgreSql, slave, $"locked_{slave}".ToLowerInvariant());
        var node = bed.Nodes[0].Name;
        await using var service = ReplProcess.Start(bed.ConfigPath, FaultSteps.Fast, "replay", "--node", node);
        await service.WaitForLineAsync("replay started", TimeSpan.FromSeconds(120));

        int locked;
        await using (var writer = new PausableWriter(bed, workload))
        {
            await using var holder = await bed.OpenNodeAsync(node, TestContext.Current.CancellationToken);
            await using var transaction = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var command = holder.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = slave == Vendor.PostgreSql ? "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE" : "SELECT COUNT(*) FROM (SELECT id FROM accounts FOR UPDATE) locked";
                await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            }
            // Many cycles long, while the writer keeps changing accounts on the master.
            var start = writer.Transactions;
            while (writer.Transactions < start + 50)
                await Task.Delay(200, TestContext.Current.CancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            locked = await SlaveBlockedAsync(holder, transaction, slave);
            Assert.False(service.HasExited, $"the replay service exited while the slave table was locked:\n{service.Output}");
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }
        await FaultSteps.WaitUntilEqualAsync(bed, service, TimeSpan.FromMinutes(3));
        TestContext.Current.TestOutputHelper?.WriteLine($"sessions waiting on the lock while it was held: {locked}; service output:\n{service.Output}");
        Assert.True(locked > 0 || service.LineCount("cycle failed") > 0,
            $"the lock never held the service up (no waiting session, no failed cycle): the test proved nothing\n{service.Output}");
    }

    // The replay session waiting on the holder's lock, seen from the holder's server.
    private static async Task<int> SlaveBlockedAsync(System.Data.Common.DbConnection holder, System.Data.Common.DbTransaction transaction, Vendor slave)
    {
        await using var command = holder.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = slave == Vendor.PostgreSql
            ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            : "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'";
        return Convert.ToInt32(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
