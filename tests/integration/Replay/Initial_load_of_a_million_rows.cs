using System.Data.Common;
using Repl.IntegrationTests.Infrastructure;
using Repl.Schema;

namespace Repl.IntegrationTests.Replay;

/// <summary>
/// repl init copies a 1,000,000-row PostgreSQL table to PostgreSQL, MariaDB and SQLite slaves through the bulk paths,
/// and each copy equals the master row by row (streamed in key order on both sides, so memory stays flat).
/// </summary>
public sealed class Initial_load_of_a_million_rows
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task Every_slave_equals_the_master_row_by_row()
    {
        string[] schema =
        [
            "CREATE TABLE siteusers (siteuserid bigint PRIMARY KEY, createddate timestamp(6) NOT NULL, username varchar(40) NOT NULL, " +
            "email varchar(120), country char(2), score numeric(12,3), avatar bytea)",
            $"INSERT INTO siteusers SELECT g, timestamp '2001-01-01' + g * interval '1.000001 second', 'user' || g, " +
            "CASE WHEN g % 7 = 0 THEN NULL ELSE 'user' || g || '@example.com' END, CASE WHEN g % 3 = 0 THEN 'NO' ELSE 'DE' END, " +
            $"g / 7.0, CASE WHEN g % 5 = 0 THEN decode('00ff' || lpad(to_hex(g), 8, '0'), 'hex') END FROM generate_series(1, {Rows}) g",
        ];
        await using var replication = await Replication.CreateAsync(Vendor.PostgreSql, [Vendor.PostgreSql, Vendor.MySql, Vendor.Sqlite],
            schema, [("siteusers", "log")]);

        await replication.ReplOkAsync("init");

        var dialect = Replication.Dialect(Vendor.PostgreSql);
        await using var masterConnection = await replication.OpenMasterAsync();
        var table = await dialect.Catalog.ReadTableAsync(masterConnection, new DbObjectName("public", "siteusers"), CancellationToken.None);
        foreach (var (node, vendor, _) in replication.Nodes)
        {
            await using var master = await replication.OpenMasterAsync();
            await using var slave = await replication.OpenNodeAsync(node);
            var (compared, differences) = await CompareOrderedAsync(master, dialect, slave, Replication.Dialect(vendor), table);
            Assert.True(differences.Count == 0, $"node {node} differs:\n{string.Join("\n", differences)}");
            Assert.Equal(Rows, compared);
        }
    }

    private static async Task<(long Compared, List<string> Differences)> CompareOrderedAsync(DbConnection master, SchemaDialect masterDialect,
        DbConnection slave, SchemaDialect slaveDialect, TableDefinition table)
    {
        await using var m = await OrderedAsync(master, masterDialect, table);
        await using var s = await OrderedAsync(slave, slaveDialect, table);
        var differences = new List<string>();
        long compared = 0;
        while (true)
        {
            var hasMaster = await m.ReadAsync();
            var hasSlave = await s.ReadAsync();
            if (hasMaster != hasSlave)
            {
                differences.Add($"row counts differ after {compared} rows");
                break;
            }
            if (!hasMaster)
                break;
            compared++;
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var a = masterDialect.Values.Read(m, i, table.Columns[i].Type);
                var b = slaveDialect.Values.Read(s, i, table.Columns[i].Type);
                if (!RowComparer.SameValue(a, b) && differences.Count < 20)
                    differences.Add($"row {compared} column {table.Columns[i].Name}: master {RowComparer.Render(a)}, slave {RowComparer.Render(b)}");
            }
        }
        return (compared, differences);
    }

    private static async Task<DbDataReader> OrderedAsync(DbConnection connection, SchemaDialect dialect, TableDefinition table)
    {
        var ids = dialect.Identifiers;
        var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => ids.Quote(c.Name)))} FROM {ids.Quote(new DbObjectName(null, table.Name.Name))} ORDER BY {ids.Quote("siteuserid")}";
        return await command.ExecuteReaderAsync();
    }
}
