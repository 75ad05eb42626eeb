using System.Data.Common;
using System.Globalization;
using Npgsql;
using Repl.IntegrationTests.BadInput;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Capture;

/// <summary>
/// repl_capture(), the C trigger function of the optional extension (ext/postgresql), where it differs from the PL/pgSQL
/// functions it replaces in how it works: it inserts into the log's heap itself, converts key values itself, tries the
/// NOTIFY gate once per (sub)transaction, and bypasses privileges as SECURITY DEFINER does. The exactness contract
/// (PostgreSql_capture_by_the_C_trigger_function_is_exact) and the random-workload replay cover the rest.
/// </summary>
public sealed class The_C_capture_trigger_function_keeps_the_PL_pgSQL_triggers_contract
{
    private static async Task<NpgsqlConnection> NewDatabaseAsync(string test)
    {
        var cs = await TestServers.NewPostgreSqlDatabaseAsync("c", test);
        await TestServers.CreateCaptureExtensionAsync(cs);
        var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await ExecAsync(connection,
            "CREATE SCHEMA logs",
            "CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)",
            "CREATE TABLE logs.accounts_log (txid xid8 NOT NULL DEFAULT pg_current_xact_id(), id integer NOT NULL, logged_at timestamptz NOT NULL DEFAULT clock_timestamp())",
            "CREATE TRIGGER capture_new AFTER INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION repl_capture('logs.accounts_log', 'new', 'changes')",
            "CREATE TRIGGER capture_old AFTER DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION repl_capture('logs.accounts_log', 'old', 'changes')");
        return connection;
    }

    [Fact]
    public async Task A_rolled_back_savepoint_leaves_nothing_and_a_released_one_logs_under_the_top_transaction()
    {
        await using var c = await NewDatabaseAsync(nameof(A_rolled_back_savepoint_leaves_nothing_and_a_released_one_logs_under_the_top_transaction));
        await using (var tx = await c.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await ExecAsync(c, "INSERT INTO accounts VALUES (1, 10)", "SAVEPOINT a", "INSERT INTO accounts VALUES (2, 20)", "ROLLBACK TO SAVEPOINT a",
                "SAVEPOINT b", "INSERT INTO accounts VALUES (3, 30)", "RELEASE SAVEPOINT b", "DELETE FROM accounts WHERE id = 1");
            var top = await ScalarAsync(c, "SELECT pg_current_xact_id()::text");
            await tx.CommitAsync(TestContext.Current.CancellationToken);
            Assert.Equal($"{top} 1,{top} 3,{top} 1", await ScalarAsync(c,
                "SELECT string_agg(txid || ' ' || id, ',' ORDER BY logged_at) FROM logs.accounts_log"));
        }
    }

    [Fact]
    public async Task A_key_logged_as_another_type_is_converted_as_a_PL_pgSQL_assignment_would()
    {
        await using var c = await NewDatabaseAsync(nameof(A_key_logged_as_another_type_is_converted_as_a_PL_pgSQL_assignment_would));
        await ExecAsync(c,
            "CREATE TABLE hosts (address inet PRIMARY KEY)",
            "CREATE TABLE logs.hosts_log (txid xid8 NOT NULL DEFAULT pg_current_xact_id(), address text NOT NULL)",
            "CREATE TRIGGER capture AFTER INSERT ON hosts FOR EACH ROW EXECUTE FUNCTION repl_capture('logs.hosts_log', 'new', '')",
            "INSERT INTO hosts VALUES ('10.1.2.3/32'), ('192.168.0.0/16')");
        Assert.Equal("10.1.2.3,192.168.0.0/16", await ScalarAsync(c, "SELECT string_agg(address, ',' ORDER BY address) FROM logs.hosts_log"));
    }

    [Fact]
    public async Task A_log_with_an_index_is_refused_naming_the_log_and_the_table_and_the_write_is_undone()
    {
        await using var c = await NewDatabaseAsync(nameof(A_log_with_an_index_is_refused_naming_the_log_and_the_table_and_the_write_is_undone));
        await ExecAsync(c, "CREATE INDEX accounts_log_txid ON logs.accounts_log (txid)");

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(c, "INSERT INTO accounts VALUES (1, 10)"));

        Assert.Contains("log \"logs.accounts_log\" of table \"accounts\" has an index", error.MessageText, StringComparison.Ordinal);
        Assert.Equal("0", await ScalarAsync(c, "SELECT count(*) FROM accounts"));

        // As repl init does with the txid index of a log made by an older repl: once dropped, writes are logged again
        // (pg_class.relhasindex stays true until a VACUUM; the function must not go by it).
        await ExecAsync(c, "DROP INDEX logs.accounts_log_txid", "INSERT INTO accounts VALUES (1, 10)");
        Assert.Equal("1", await ScalarAsync(c, "SELECT string_agg(id::text, ',') FROM logs.accounts_log"));
    }

    [Fact]
    public async Task A_writer_without_privileges_on_the_log_is_logged_but_cannot_point_the_function_at_a_table()
    {
        await using var c = await NewDatabaseAsync(nameof(A_writer_without_privileges_on_the_log_is_logged_but_cannot_point_the_function_at_a_table));
        var role = "app_" + Guid.NewGuid().ToString("N")[..12];
        await ExecAsync(c, $"CREATE ROLE {role}", $"GRANT INSERT, UPDATE, DELETE, SELECT ON accounts TO {role}", $"GRANT CREATE ON SCHEMA public TO {role}");
        try
        {
            await ExecAsync(c, $"SET ROLE {role}", "INSERT INTO accounts VALUES (7, 70)", "UPDATE accounts SET balance = 71 WHERE id = 7",
                "DELETE FROM accounts WHERE id = 7");
            var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(c,
                "CREATE TABLE mine (id integer PRIMARY KEY)",
                "CREATE TRIGGER steal AFTER INSERT ON mine FOR EACH ROW EXECUTE FUNCTION repl_capture('logs.accounts_log', 'new', '')"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
            Assert.Contains("repl_capture", denied.MessageText, StringComparison.Ordinal);

            await ExecAsync(c, "RESET ROLE");
            Assert.Equal("7,7,7", await ScalarAsync(c, "SELECT string_agg(id::text, ',') FROM logs.accounts_log"));
        }
        finally
        {
            await ExecAsync(c, "RESET ROLE", $"DROP OWNED BY {role}", $"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task Init_dry_run_shows_the_row_triggers_calling_the_C_function_when_the_master_has_the_extension()
    {
        string[] schema = ["CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], schema, [("things", "log")]);
        await TestServers.CreateCaptureExtensionAsync(replication.MasterConnectionString);

        var dryRun = await replication.ReplOkAsync("init", "--dry-run");

        Assert.Contains("EXECUTE FUNCTION public.repl_capture('\"repl\".\"things_log\"', 'new', 'repl_changes')", dryRun.Text, StringComparison.Ordinal);
        Assert.Contains("EXECUTE FUNCTION public.repl_capture('\"repl\".\"things_log\"', 'old', 'repl_changes')", dryRun.Text, StringComparison.Ordinal);
        // No row trigger calls a PL/pgSQL function (the TRUNCATE trigger, a statement trigger, still does).
        Assert.DoesNotMatch(@"FOR EACH ROW[^\n]*EXECUTE FUNCTION ""repl""\.", dryRun.Text);
        Assert.Matches(@"FOR EACH STATEMENT EXECUTE FUNCTION ""repl""\.", dryRun.Text);
    }

    [Fact]
    public async Task Init_after_the_extension_arrives_moves_instrumented_tables_to_the_C_function_and_loses_no_change()
    {
        string[] schema = ["CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)", "INSERT INTO things VALUES (1, 'ann')"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.Sqlite], schema, [("things", "log")]);
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("INSERT INTO things VALUES (2, 'bob')");
        await TestServers.CreateCaptureExtensionAsync(replication.MasterConnectionString);

        var dryRun = await replication.ReplOkAsync("init", "--dry-run");
        Assert.Contains("installed again", dryRun.Text, StringComparison.Ordinal);
        Assert.Contains("EXECUTE FUNCTION public.repl_capture(", dryRun.Text, StringComparison.Ordinal);
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("UPDATE things SET id = 3 WHERE id = 1");

        await using (var master = await replication.OpenMasterAsync())
            Assert.Equal("4", await ScalarAsync(master,
                "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = 'things'::regclass AND p.proname = 'repl_capture'"));
        Assert.Contains("Nothing to do", (await replication.ReplOkAsync("init")).Text, StringComparison.Ordinal);
        foreach (var (node, _, _) in replication.Nodes)
            await replication.ReplOkAsync("replay", "--node", node, "--once");
        await replication.AssertSlavesEqualMasterAsync("things");
        await using (var slave = await replication.OpenNodeAsync(replication.Nodes[0].Name))
            Assert.Equal("2 bob,3 ann", await ScalarAsync(slave, "SELECT string_agg(id || ' ' || name, ',' ORDER BY id) FROM things"));
    }

    [Fact]
    public async Task Init_after_the_extension_was_dropped_with_its_triggers_installs_PL_pgSQL_ones_and_says_to_resync()
    {
        string[] schema = ["CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)", "INSERT INTO things VALUES (1, 'ann')"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], schema, [("things", "log")]);
        await TestServers.CreateCaptureExtensionAsync(replication.MasterConnectionString);
        await replication.ReplOkAsync("init");
        await replication.ExecuteOnMasterAsync("DROP EXTENSION repl_capture CASCADE");
        await replication.ExecuteOnMasterAsync("INSERT INTO things VALUES (2, 'uncaptured')");

        var init = await replication.ReplOkAsync("init");

        Assert.Contains("whose triggers were dropped: changes made since were NOT captured; run repl resync --table things", init.Text, StringComparison.Ordinal);
        await replication.ExecuteOnMasterAsync("INSERT INTO things VALUES (3, 'captured')");
        await replication.ReplOkAsync("replay", "--node", replication.Nodes[0].Name, "--once");
        await using (var slave = await replication.OpenNodeAsync(replication.Nodes[0].Name))
            Assert.Equal("1,3", await ScalarAsync(slave, "SELECT group_concat(id, ',') FROM (SELECT id FROM things ORDER BY id)"));
        await replication.ReplOkAsync("resync", "--node", replication.Nodes[0].Name, "--table", "things");
        await replication.AssertSlavesEqualMasterAsync("things");
    }

    [Fact]
    public async Task Init_as_a_user_who_may_not_execute_the_function_says_what_to_grant_and_changes_nothing()
    {
        string[] schema = ["CREATE TABLE things (id integer PRIMARY KEY, name varchar(40) NOT NULL)", "INSERT INTO things VALUES (1, 'ann')"];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.Sqlite], schema, [("things", "log")]);
        await TestServers.CreateCaptureExtensionAsync(replication.MasterConnectionString);
        var role = "repl_" + Guid.NewGuid().ToString("N")[..12];
        await replication.ExecuteOnMasterAsync($"CREATE ROLE {role} LOGIN");
        try
        {
            await replication.ExecuteOnMasterAsync($"GRANT ALL ON DATABASE \"{new NpgsqlConnectionStringBuilder(replication.MasterConnectionString).Database}\" TO {role}");
            await replication.ExecuteOnMasterAsync($"ALTER TABLE things OWNER TO {role}");
            ConfigEdits.SetConnectionString(replication, null,
                new NpgsqlConnectionStringBuilder(replication.MasterConnectionString) { Username = role }.ConnectionString);
            var before = await CatalogSnapshot.OfEveryDatabaseAsync(replication);

            var (exit, output) = await replication.ReplAsync("init");

            Assert.Equal(2, exit);
            var error = ConfigEdits.OneError(output);
            Assert.Contains($"user {role} may not execute public.repl_capture()", error, StringComparison.Ordinal);
            Assert.Contains($"GRANT EXECUTE ON FUNCTION public.repl_capture() TO {role}", error, StringComparison.Ordinal);
            Assert.Equal(before, await CatalogSnapshot.OfEveryDatabaseAsync(replication));
        }
        finally
        {
            await replication.ExecuteOnMasterAsync($"ALTER TABLE things OWNER TO CURRENT_USER");
            await replication.ExecuteOnMasterAsync($"DROP OWNED BY {role}");
            await replication.ExecuteOnMasterAsync($"DROP ROLE {role}");
        }
    }

    private static async Task ExecAsync(DbConnection connection, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}
