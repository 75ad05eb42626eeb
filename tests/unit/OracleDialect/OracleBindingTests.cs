using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Repl.Dialects;
using Repl.Dialects.Oracle;
using Repl.Schema;
using Repl.Schema.Oracle;
using static Repl.Tests.OracleDialect.OracleDialectTables;

namespace Repl.Tests.OracleDialect;

// What repl hands ODP.NET, recorded by a stand-in for its ADO.NET classes (no Oracle driver exists here): the array
// binding, the OracleDbType chosen per column, the calls and their order. Whether ODP.NET then does the right thing is
// what the golden files and a live Oracle would show; these tests prove repl asks for it.
public sealed class OracleBindingTests
{
    private static readonly TableDefinition Articles = TableDefinition.Create(new DbObjectName("public", "articles"),
        [
            Col("id", new(CanonicalKind.Int64)),
            Col("title", new(CanonicalKind.VarChar, Length: 200), nullable: true),
            Col("body", new(CanonicalKind.Text), nullable: true),
            Col("external_id", new(CanonicalKind.Uuid), nullable: true),
        ],
        new KeyDefinition(null, ["id"]), [], []);

    private static readonly DbObjectName Target = new(null, "articles");

    [Fact]
    public async Task A_batch_is_staged_with_one_array_bound_insert_then_applied_with_one_call()
    {
        await using var connection = new RecordingOracleConnection();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var apply = new OracleApply(OracleSchema.Dialect);

        await using (var applier = await apply.OpenAsync(connection, transaction, Articles, Target, TestContext.Current.CancellationToken))
            await applier.ApplyAsync(
            [
                new ChangeRow(true, [1L, "first", "body one", id]),
                new ChangeRow(false, [2L, null, null, null]),
                new ChangeRow(true, [3L, "it's", null, null]),
            ], TestContext.Current.CancellationToken);

        Assert.Equal(2, connection.Executed.Count);
        var stage = connection.Executed[0];
        Assert.Equal(apply.StageInsertSql(Articles, Target), stage.CommandText);
        Assert.Equal(3, stage.ArrayBindCount);
        Assert.Same(transaction, stage.Transaction);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], stage.Parameters.Select(p => p.Name));
        Assert.Equal([FakeOracleDbType.Int64, FakeOracleDbType.Varchar2, FakeOracleDbType.Varchar2, FakeOracleDbType.Raw, FakeOracleDbType.Int16],
            stage.Parameters.Select(p => p.OracleDbType));
        Assert.Equal(new object?[] { 1L, 2L, 3L }, (object?[])stage.Parameters[0].Value!);
        Assert.Equal(new object?[] { "first", DBNull.Value, "it's" }, (object?[])stage.Parameters[1].Value!);
        Assert.Equal(id.ToByteArray(bigEndian: true), (byte[])((object?[])stage.Parameters[3].Value!)[0]!);
        Assert.Equal(new object?[] { (short)1, (short)0, (short)1 }, (object?[])stage.Parameters[4].Value!);

        var call = connection.Executed[1];
        Assert.Equal("BEGIN\n    \"REPL_APPLY_ARTICLES\";\nEND;", call.CommandText);
        Assert.Equal(0, call.ArrayBindCount);
        Assert.Same(transaction, call.Transaction);
    }

    [Fact]
    public async Task A_text_column_binds_as_clob_for_the_whole_batch_once_one_value_exceeds_4000_bytes()
    {
        await using var connection = new RecordingOracleConnection();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);

        await using (var applier = await new OracleApply(OracleSchema.Dialect).OpenAsync(connection, transaction, Articles, Target, TestContext.Current.CancellationToken))
            await applier.ApplyAsync(
            [
                new ChangeRow(true, [1L, "short", "short", null]),
                new ChangeRow(true, [2L, "short", new string('é', 2001), null]),
            ], TestContext.Current.CancellationToken);

        var stage = connection.Executed[0];
        Assert.Equal(FakeOracleDbType.Varchar2, stage.Parameters[1].OracleDbType);
        Assert.Equal(FakeOracleDbType.Clob, stage.Parameters[2].OracleDbType);
    }

    [Fact]
    public async Task A_batch_larger_than_5000_rows_is_staged_in_several_round_trips_and_applied_once()
    {
        await using var connection = new RecordingOracleConnection();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var batch = Enumerable.Range(1, 7500).Select(i => new ChangeRow(true, [(long)i, "t", null, null])).ToList();

        await using (var applier = await new OracleApply(OracleSchema.Dialect).OpenAsync(connection, transaction, Articles, Target, TestContext.Current.CancellationToken))
            await applier.ApplyAsync(batch, TestContext.Current.CancellationToken);

        Assert.Equal([5000, 2500, 0], connection.Executed.Select(c => c.ArrayBindCount));
        Assert.StartsWith("BEGIN", connection.Executed[2].CommandText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_load_inserts_5000_rows_per_round_trip_in_the_callers_transaction_and_counts_them()
    {
        await using var connection = new RecordingOracleConnection();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var bulk = new OracleBulkLoad(OracleSchema.Dialect);

        var loaded = await bulk.LoadAsync(connection, transaction, Articles, Target, Rows(12_001), TestContext.Current.CancellationToken);

        Assert.Equal(12_001, loaded);
        Assert.Equal([5000, 5000, 2001], connection.Executed.Select(c => c.ArrayBindCount));
        Assert.All(connection.Executed, c =>
        {
            Assert.Equal(bulk.InsertSql(Articles, Target), c.CommandText);
            Assert.Same(transaction, c.Transaction);
        });
        Assert.Equal(12_001L, ((object?[])connection.Executed[2].Parameters[0].Value!)[^1]);
    }

    [Fact]
    public async Task Bulk_load_of_no_rows_sends_nothing()
    {
        await using var connection = new RecordingOracleConnection();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);

        var loaded = await new OracleBulkLoad(OracleSchema.Dialect).LoadAsync(connection, transaction, Articles, Target, Rows(0), TestContext.Current.CancellationToken);

        Assert.Equal(0, loaded);
        Assert.Empty(connection.Executed);
    }

    [Fact]
    public async Task A_driver_without_array_binding_is_refused_with_a_message_naming_odp_net()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ReplException>(() =>
            new OracleBulkLoad(OracleSchema.Dialect).LoadAsync(connection, transaction, Articles, Target, Rows(1), TestContext.Current.CancellationToken));

        Assert.Contains("ArrayBindCount", error.Message, StringComparison.Ordinal);
        Assert.Contains("Oracle.ManagedDataAccess.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("REPL_ORACLE_DRIVER_PATH", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    public async Task The_node_lock_is_taken_when_dbms_lock_grants_it_or_the_session_already_holds_it(int status, bool locked)
    {
        await using var connection = new RecordingOracleConnection { OnExecute = c => c.Parameters[1].Value = status };

        var result = await Master().TryLockNodeAsync(connection, "PG1", TestContext.Current.CancellationToken);

        Assert.Equal(locked, result);
        var command = Assert.Single(connection.Executed);
        Assert.Equal(OracleMaster.LockSql, command.CommandText);
        Assert.Equal("node", command.Parameters[0].Name);
        Assert.Equal("pg1", command.Parameters[0].Value);
        Assert.Equal("result", command.Parameters[1].Name);
    }

    [Fact]
    public async Task The_node_lock_reads_a_result_handed_back_as_an_oracle_number_object()
    {
        await using var connection = new RecordingOracleConnection { OnExecute = c => c.Parameters[1].Value = new OracleNumberLike(1) };

        Assert.False(await Master().TryLockNodeAsync(connection, "pg1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_dbms_lock_error_is_reported_with_its_code_and_the_node()
    {
        await using var connection = new RecordingOracleConnection { OnExecute = c => c.Parameters[1].Value = 2 };

        var error = await Assert.ThrowsAsync<ReplException>(() => Master().TryLockNodeAsync(connection, "pg1", TestContext.Current.CancellationToken));

        Assert.Contains("node pg1", error.Message, StringComparison.Ordinal);
        Assert.Contains("returned 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_grant_on_dbms_lock_tells_the_operator_what_to_grant()
    {
        await using var connection = new RecordingOracleConnection
        {
            OnExecute = _ => throw new FakeOracleException("ORA-06550: line 4, column 5:\nPLS-00201: identifier 'DBMS_LOCK' must be declared"),
        };

        var error = await Assert.ThrowsAsync<ReplException>(() => Master().TryLockNodeAsync(connection, "pg1", TestContext.Current.CancellationToken));

        Assert.Contains("GRANT EXECUTE ON SYS.DBMS_LOCK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_snapshot_is_a_serializable_transaction_whose_snapshot_is_taken_at_once()
    {
        await using var connection = new RecordingOracleConnection();

        await using var transaction = await Master().BeginSnapshotAsync(connection, TestContext.Current.CancellationToken);

        Assert.Equal(IsolationLevel.Serializable, transaction.IsolationLevel);
        var first = Assert.Single(connection.Executed);
        Assert.Equal("SELECT 1 FROM DUAL", first.CommandText);
        Assert.Same(transaction, first.Transaction);
    }

    [Fact]
    public async Task Processed_transactions_are_recorded_with_one_insert_select_in_the_snapshot_transaction()
    {
        await using var connection = new RecordingOracleConnection();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, TestContext.Current.CancellationToken);
        var tables = new[] { Describe(ArticleRevisions()), Describe(Hostile()) };

        await Master().RecordProcessedAsync(connection, transaction, tables, "pg1", TestContext.Current.CancellationToken);

        var insert = Assert.Single(connection.Executed);
        Assert.Equal(Master().RecordProcessedSql(tables, "pg1"), insert.CommandText);
        Assert.Same(transaction, insert.Transaction);
        Assert.Null(await Master().ListenAsync(connection, TestContext.Current.CancellationToken));
    }

    private static async IAsyncEnumerable<object?[]> Rows(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return [(long)i, "title", null, null];
        }
    }

    /// <summary>Like ODP.NET's OracleDecimal: not IConvertible, but its text is the number.</summary>
    private sealed class OracleNumberLike(int value)
    {
        public override string ToString() => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class FakeOracleException : DbException
    {
        public FakeOracleException() { }
        public FakeOracleException(string message) : base(message) { }
        public FakeOracleException(string message, Exception innerException) : base(message, innerException) { }
    }
}
