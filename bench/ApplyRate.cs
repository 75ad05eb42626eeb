using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Npgsql;
using NpgsqlTypes;
using Repl.Configuration;
using Repl.Dialects;
using Repl.Schema;
using Repl.Schema.PostgreSql;
using static System.FormattableString;

namespace Repl.Bench;

/// <summary>
/// Apply rate: a changeset of N logged row changes on a PostgreSQL master (75 % updates, 10 % deletes, 15 % inserts,
/// committed in transactions of at most 100,000 rows) replayed by `repl replay --once` (in-process) into a PostgreSQL and a
/// MariaDB slave, against (a) the vendor's loader writing N rows of the same shape into an empty table and (b) the book's
/// way: one call of a per-row apply routine (the book's SiteUsers_Apply: UPDATE, INSERT when not found, DELETE for a gone
/// row) per changed row, on a sample of the same changes, in one slave transaction that is rolled back.
/// The updates touch N·75 %/passes keys, each updated once per pass in a later transaction than the last (the issue's
/// shape: a changeset of 1,000,000 rows whose updates cover at least 100,000 keys; default 3 passes, 250,000 keys). With
/// --passes 1 every change hits a different key: the worst case for repl, which applies each changed key once per cycle
/// however often it changed, where the book's loop applies every logged change.
/// Between rounds the slave table is restored from a copy taken after `repl init` and the node's processed marks are removed.
/// </summary>
internal static class ApplyRate
{
    private const double CopyTarget = 0.5;
    private const double RowByRowTarget = 10;

    public static async Task RunAsync(long changes, int rounds, int passes)
    {
        if (passes < 1)
            throw new ArgumentOutOfRangeException(nameof(passes), "--passes must be 1 or more");
        // Updates are a whole number of passes over the updated keys; inserts take up what that rounding leaves.
        var updatedKeys = changes * 75 / 100 / passes;
        var updates = updatedKeys * passes;
        var deletes = changes * 10 / 100;
        var inserts = changes - updates - deletes;
        var tableRows = Math.Max(changes, updatedKeys + deletes);
        var sample = Math.Min(changes, Math.Max(1_000, changes / 50));
        Bench.Say(Invariant($"apply: changeset of {changes:#,0} logged row changes: {updates:#,0} updates of {updatedKeys:#,0} keys ({passes} pass(es)), ") +
                  Invariant($"{deletes:#,0} deletes, {inserts:#,0} inserts ({updatedKeys + deletes + inserts:#,0} distinct keys) on a {tableRows:#,0}-row table; ") +
                  Invariant($"row-by-row sample {sample:#,0} rows, {rounds} round(s)"));

        var master = await SiteUsers.PostgreSqlMasterAsync("bench_apply_master", tableRows);
        var file = await SiteUsers.ExportAsync(master, changes);
        var pg = await BenchServers.NewPostgreSqlAsync("bench_apply_pg");
        var maria = await BenchServers.NewMySqlAsync("bench_apply_maria");
        var config = Bench.WriteConfig("apply", ("postgresql", master), [("pg", "postgresql", pg), ("maria", "mysql", maria)], [SiteUsers.Name]);
        await Bench.ReplAsync("init", "--config", config);

        await using (var c = await BenchServers.OpenPostgreSqlAsync(pg))
        {
            await BenchServers.Exec(c, "CREATE TABLE siteusers_before AS SELECT * FROM siteusers");
            await BenchServers.Exec(c, PostgreSqlRowByRow);
        }
        await using (var c = await BenchServers.OpenMySqlAsync(maria))
        {
            await BenchServers.Exec(c, "CREATE TABLE siteusers_before AS SELECT * FROM siteusers");
            await BenchServers.Exec(c, MySqlRowByRow);
        }

        await using (var c = await BenchServers.OpenPostgreSqlAsync(master))
        {
            for (var pass = 1; pass <= passes; pass++)
                for (long from = 1; from <= updatedKeys; from += 100_000)
                    await BenchServers.Exec(c, Invariant(
                        $"UPDATE siteusers SET password = md5(siteuserid::text || 'v{pass + 1}'), postalcode = lpad(((siteuserid * {pass + 6}) % 100000)::text, 5, '0'), ") +
                        Invariant($"createddate = createddate + interval '1 day' WHERE siteuserid BETWEEN {from} AND {Math.Min(updatedKeys, from + 99_999)}"));
            for (var from = updatedKeys + 1; from <= updatedKeys + deletes; from += 100_000)
                await BenchServers.Exec(c, Invariant($"DELETE FROM siteusers WHERE siteuserid BETWEEN {from} AND {Math.Min(updatedKeys + deletes, from + 99_999)}"));
            var first = tableRows + 1;
            for (var from = first; from < first + inserts; from += 100_000)
                await BenchServers.Exec(c, SiteUsers.PostgreSqlInsert(from, Math.Min(first + inserts - 1, from + 99_999)));
            await BenchServers.Exec(c, "VACUUM ANALYZE");
        }

        var table = await DescribeAsync(master);
        await using (var c = await BenchServers.OpenPostgreSqlAsync(master))
        {
            var logged = Convert.ToInt64(await BenchServers.Scalar(c, $"SELECT count(*) FROM {PostgreSqlSchema.Dialect.Identifiers.Quote(table.LogName)}"),
                CultureInfo.InvariantCulture);
            if (logged != changes)
                throw new InvalidOperationException(Invariant($"the master logged {logged:#,0} row changes, expected {changes:#,0}"));
        }
        await VendorAsync("postgresql", master, pg, "pg", table, changes, sample, rounds, config,
            r => SiteUsers.PostgreSqlCopyAsync(Invariant($"bench_apply_copy_{r}"), table.Source, file), "COPY",
            BenchServers.OpenPostgreSqlAsync, "TRUNCATE siteusers; INSERT INTO siteusers SELECT * FROM siteusers_before; VACUUM ANALYZE siteusers; CHECKPOINT");
        await VendorAsync("mariadb", master, maria, "maria", table, changes, sample, rounds, config,
            r => SiteUsers.MySqlLoadDataAsync(Invariant($"bench_apply_infile_{r}"), table.Source, file), "LOAD DATA",
            BenchServers.OpenMySqlAsync, "TRUNCATE siteusers; INSERT INTO siteusers SELECT * FROM siteusers_before; ANALYZE TABLE siteusers");
    }

    private static async Task VendorAsync(string vendor, string master, string slave, string node, ReplicatedTable table, long changes, long sample,
        int rounds, string config, Func<int, Task<TimeSpan>> vendorLoad, string vendorName, Func<string, Task<DbConnection>> open, string restore)
    {
        var loader = new List<double>();
        var ours = new List<double>();
        var perRow = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            await ResetAsync(master, slave, node, open, restore);
            var rowByRow = await RowByRowAsync(vendor, master, slave, node, table, sample, open);
            var replay = await Bench.TimeAsync(() => Bench.ReplAsync("replay", "--once", "--node", node, "--config", config));
            var baseline = await vendorLoad(r);
            loader.Add(changes / baseline.TotalSeconds);
            ours.Add(changes / replay.TotalSeconds);
            perRow.Add(sample / rowByRow.TotalSeconds);
            Bench.Say(Invariant($"  {vendor} round {r + 1}: repl replay {replay.TotalSeconds:0.00} s ({ours[^1]:#,0} rows/s), ") +
                      Invariant($"{vendorName} {baseline.TotalSeconds:0.00} s ({loader[^1]:#,0} rows/s), row-by-row {perRow[^1]:#,0} rows/s"));
        }
        var versusLoader = ours.Zip(loader, (a, b) => a / b).ToList();
        var versusRows = ours.Zip(perRow, (a, b) => a / b).ToList();
        Bench.Say(Invariant($"apply {vendor}: repl {Bench.List(ours)} rows/s, {vendorName} {Bench.List(loader)} rows/s, row-by-row {Bench.List(perRow)} rows/s"));
        Bench.Say(Invariant($"apply {vendor}: repl / {vendorName} per round {Bench.List(versusLoader, "0.00")}, median {Bench.Median(versusLoader):0.00} ") +
                  Invariant($"(target >= {CopyTarget:0.0}) {Bench.Verdict(Bench.Median(versusLoader) >= CopyTarget)}; ") +
                  Invariant($"repl / row-by-row per round {Bench.List(versusRows, "0.0")}, median {Bench.Median(versusRows):0.0} ") +
                  Invariant($"(target >= {RowByRowTarget:0}) {Bench.Verdict(Bench.Median(versusRows) >= RowByRowTarget)}"));
    }

    // The slave back to its state after init, and the changeset unprocessed again for the node.
    private static async Task ResetAsync(string master, string slave, string node, Func<string, Task<DbConnection>> open, string restore)
    {
        await using (var c = await BenchServers.OpenPostgreSqlAsync(master))
        {
            var processed = PostgreSqlSchema.Dialect.Identifiers.Quote(VendorDialects.For(Vendor.PostgreSql).Capture!.ProcessedTable(node));
            await BenchServers.Exec(c, $"DELETE FROM {processed}");
            await BenchServers.Exec(c, "CHECKPOINT");
        }
        await using var s = await open(slave);
        foreach (var sql in restore.Split("; "))
            await BenchServers.Exec(s, sql);
    }

    // The book's replay loop: every changed row read from the master and applied with one routine call, in one slave
    // transaction; rolled back, so the slave is unchanged for repl's run.
    private static async Task<TimeSpan> RowByRowAsync(string vendor, string master, string slave, string node, ReplicatedTable table, long sample,
        Func<string, Task<DbConnection>> open)
    {
        await using var m = await BenchServers.OpenPostgreSqlAsync(master);
        await using var s = await open(slave);
        var reader = VendorDialects.For(Vendor.PostgreSql).Master!;
        return await Bench.TimeAsync(async () =>
        {
            await using var snapshot = await reader.BeginSnapshotAsync(m, CancellationToken.None);
            await using var tx = await s.BeginTransactionAsync();
            await using DbCommand apply = vendor == "postgresql" ? PostgreSqlCall((NpgsqlConnection)s) : MySqlCall((MySqlConnection)s);
            apply.Transaction = tx;
            await apply.PrepareAsync();
            await using var read = m.CreateCommand();
            read.Transaction = snapshot;
            read.CommandText = Invariant($"SELECT * FROM ({reader.SelectChanges(table, node)}) changes LIMIT {sample}");
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                var present = rows.GetBoolean(1);
                apply.Parameters[0].Value = rows.GetInt32(0);
                for (var i = 0; i < 7; i++)
                    apply.Parameters[i + 1].Value = present ? rows.GetValue(2 + i) : DBNull.Value;
                await apply.ExecuteNonQueryAsync();
            }
            await tx.RollbackAsync();
        });
    }

    private static NpgsqlCommand PostgreSqlCall(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand("SELECT siteusers_apply_row($1, $2, $3, $4, $5, $6, $7, $8)", connection);
        foreach (var type in (NpgsqlDbType[])[NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Timestamp, NpgsqlDbType.Varchar,
                     NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar])
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
        return command;
    }

    private static MySqlCommand MySqlCall(MySqlConnection connection)
    {
        var command = new MySqlCommand("CALL siteusers_apply_row(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)", connection);
        for (var i = 0; i < 8; i++)
            command.Parameters.Add(new MySqlParameter(Invariant($"@p{i}"), null));
        return command;
    }

    private static async Task<ReplicatedTable> DescribeAsync(string master)
    {
        await using var c = await BenchServers.OpenPostgreSqlAsync(master);
        var capture = VendorDialects.For(Vendor.PostgreSql).Capture!;
        return capture.Describe(await SiteUsers.DefinitionAsync(c, PostgreSqlSchema.Dialect), TableMode.Log);
    }

    // The book's SiteUsers_Apply (chapter 8), in each slave's dialect.
    private const string PostgreSqlRowByRow = """
        CREATE FUNCTION siteusers_apply_row(v_refid integer, v_siteuserid integer, v_createddate timestamp, v_username varchar,
            v_password varchar, v_emailaddress varchar, v_country varchar, v_postalcode varchar) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF v_siteuserid IS NULL THEN
                DELETE FROM siteusers WHERE siteuserid = v_refid;
                RETURN;
            END IF;
            UPDATE siteusers SET siteuserid = v_siteuserid, createddate = v_createddate, username = v_username, password = v_password,
                emailaddress = v_emailaddress, country = v_country, postalcode = v_postalcode
             WHERE siteuserid = v_refid;
            IF NOT FOUND THEN
                INSERT INTO siteusers (siteuserid, createddate, username, password, emailaddress, country, postalcode)
                VALUES (v_siteuserid, v_createddate, v_username, v_password, v_emailaddress, v_country, v_postalcode);
            END IF;
        END
        $$
        """;

    private const string MySqlRowByRow = """
        CREATE PROCEDURE siteusers_apply_row(v_refid int, v_siteuserid int, v_createddate datetime, v_username varchar(32),
            v_password varchar(80), v_emailaddress varchar(255), v_country varchar(3), v_postalcode varchar(10))
        MODIFIES SQL DATA
        BEGIN
            IF v_siteuserid IS NULL THEN
                DELETE FROM siteusers WHERE siteuserid = v_refid;
            ELSE
                UPDATE siteusers SET siteuserid = v_siteuserid, createddate = v_createddate, username = v_username, password = v_password,
                    emailaddress = v_emailaddress, country = v_country, postalcode = v_postalcode
                 WHERE siteuserid = v_refid;
                IF ROW_COUNT() = 0 THEN
                    INSERT INTO siteusers (siteuserid, createddate, username, password, emailaddress, country, postalcode)
                    VALUES (v_siteuserid, v_createddate, v_username, v_password, v_emailaddress, v_country, v_postalcode);
                END IF;
            END IF;
        END
        """;
}
