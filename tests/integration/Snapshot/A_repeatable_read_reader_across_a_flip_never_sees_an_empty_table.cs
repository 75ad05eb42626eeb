using System.Data;
using System.Globalization;
using MySqlConnector;
using Repl.Schema;

namespace Repl.IntegrationTests.Snapshot;

/// <summary>
/// The twin a snapshot loads was emptied by TRUNCATE, which is not MVCC-safe. A REPEATABLE READ reader whose snapshot
/// was taken before that and who first reads the view after the flip must still never see an empty table: on
/// PostgreSQL the load is COPY FREEZE, whose rows every snapshot sees, so it reads the new snapshot; on MariaDB it gets
/// "Table definition has changed, please retry transaction" — an error to retry on, not wrong rows.
/// </summary>
public sealed class A_repeatable_read_reader_across_a_flip_never_sees_an_empty_table
{
    private const int Rows = 2_000;

    [Fact]
    public async Task On_PostgreSQL_it_reads_the_new_snapshot_complete()
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, Vendor.PostgreSql, Rows, "rr_reader_postgresql");
        await scenario.ChangeMasterAsync(1);
        await scenario.SnapshotOkAsync();

        await using var reader = await scenario.OpenSlaveAsync();
        await using var transaction = await reader.BeginTransactionAsync(IsolationLevel.RepeatableRead, TestContext.Current.CancellationToken);
        await TakeSnapshotElsewhereAsync(reader, transaction, "SELECT count(*) FROM pg_catalog.pg_class");
        // The next snapshot empties and loads the twin this reader has not read yet, then flips the view onto it.
        await scenario.ChangeMasterAsync(2);
        await scenario.SnapshotOkAsync();

        var (count, known) = await ReadInAsync(scenario, reader, transaction);
        Assert.Equal(Rows + 2, count);
        Assert.Equal(2, known);
    }

    [Fact]
    public async Task On_MariaDB_it_is_told_to_retry_and_never_given_an_empty_table()
    {
        await using var scenario = await SnapshotScenario.CreateAsync(Vendor.PostgreSql, Vendor.MySql, Rows, "rr_reader_mysql");
        await scenario.ChangeMasterAsync(1);
        await scenario.SnapshotOkAsync();

        await using var reader = await scenario.OpenSlaveAsync();
        await using var transaction = await reader.BeginTransactionAsync(IsolationLevel.RepeatableRead, TestContext.Current.CancellationToken);
        await TakeSnapshotElsewhereAsync(reader, transaction, "SELECT COUNT(*) FROM information_schema.ENGINES");
        await using (var consistent = reader.CreateCommand())
        {
            // InnoDB's read view begins with the first consistent read; this starts it without touching the view.
            consistent.Transaction = transaction;
            consistent.CommandText = "SELECT COUNT(*) FROM mysql.transaction_registry";
            await consistent.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }
        await scenario.ChangeMasterAsync(2);
        await scenario.SnapshotOkAsync();

        try
        {
            var (count, known) = await ReadInAsync(scenario, reader, transaction);
            Assert.Fail($"expected \"Table definition has changed\", read {count} rows with the known row at round {known}");
        }
        catch (MySqlException e)
        {
            Assert.Equal(MySqlErrorCode.TableDefinitionChanged, e.ErrorCode);
        }
        // Retried in a new transaction, the reader sees the new snapshot whole.
        await using var fresh = await scenario.OpenSlaveAsync();
        Assert.Equal((Rows + 2L, 2L), await scenario.ReadViewAsync(fresh));
    }

    private static async Task TakeSnapshotElsewhereAsync(System.Data.Common.DbConnection reader, System.Data.Common.DbTransaction transaction, string sql)
    {
        await using var command = reader.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<(long Count, long? Known)> ReadInAsync(SnapshotScenario scenario, System.Data.Common.DbConnection reader,
        System.Data.Common.DbTransaction transaction)
    {
        await using var command = reader.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = scenario.CountAndKnownSql();
        await using var rows = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await rows.ReadAsync(TestContext.Current.CancellationToken);
        return (Convert.ToInt64(rows.GetValue(0), CultureInfo.InvariantCulture),
            rows.IsDBNull(1) ? null : Convert.ToInt64(rows.GetValue(1), CultureInfo.InvariantCulture));
    }
}
