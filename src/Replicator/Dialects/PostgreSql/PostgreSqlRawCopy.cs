using System.Data.Common;
using Npgsql;
using Repl.Schema;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// PostgreSQL to PostgreSQL without decoding: the master's rows leave as binary COPY and enter the slave as the same
/// bytes, so repl only moves buffers between two sockets. PostgreSQL's binary format of a built-in type is the same
/// on every server version, but it is only the right input when both columns have the same type (an int4 read as int8
/// would be garbage), so it is used only when every column's type is identical on both sides; otherwise the caller
/// takes the decoding path.
/// </summary>
internal static class PostgreSqlRawCopy
{
    /// <summary>
    /// Name and type (format_type, with its modifier) of every column of the table $1 (a quoted, possibly qualified
    /// name resolved through the search_path); NULL as the type of a column whose type is not built in (an enum, a
    /// domain, an extension's type), whose binary form repl cannot vouch for.
    /// </summary>
    public const string ColumnTypesSql = """
        SELECT a.attname::text,
               CASE WHEN t.typnamespace = 'pg_catalog'::regnamespace THEN pg_catalog.format_type(a.atttypid, a.atttypmod) END
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
        """;

    /// <summary>
    /// Copies every row the master's <paramref name="select"/> returns into <paramref name="target"/> with
    /// <paramref name="copyOptions"/> (e.g. "FORMAT BINARY, FREEZE"), inside the slave connection's open transaction,
    /// when every column of <paramref name="table"/> has the same built-in type on both sides; returns false, having
    /// done nothing, when they differ. <paramref name="identifiers"/> quotes names alike on both (PostgreSQL) sides.
    /// </summary>
    public static async Task<bool> TryCopyAsync(DbConnection master, DbConnection slave, IIdentifierRules identifiers, TableDefinition table,
        DbObjectName target, string select, string copyOptions, CancellationToken cancellationToken)
    {
        if (master is not NpgsqlConnection source || slave is not NpgsqlConnection destination)
            return false;
        var wanted = table.Columns.Select(c => c.Name).ToList();
        var masterTypes = await ColumnTypesAsync(source, identifiers.Quote(table.Name), cancellationToken);
        var slaveTypes = await ColumnTypesAsync(destination, identifiers.Quote(target), cancellationToken);
        if (!wanted.All(c => masterTypes.TryGetValue(c, out var m) && m is not null && slaveTypes.TryGetValue(c, out var s) && m == s))
            return false;

        var columns = PostgreSqlBulkLoad.ColumnList(identifiers, table);
        await using var reader = await source.BeginRawBinaryCopyAsync($"COPY ({select}) TO STDOUT (FORMAT BINARY)", cancellationToken);
        await using var writer = await destination.BeginRawBinaryCopyAsync(
            $"COPY {identifiers.Quote(target)} ({columns}) FROM STDIN ({copyOptions})", cancellationToken);
        // Per I/O timeouts, not per copy (zero is infinite): a large table must not abort because it is large.
        reader.ReadTimeout = 0;
        writer.WriteTimeout = 0;
        try
        {
            await reader.CopyToAsync(writer, 1 << 16, cancellationToken);
        }
        catch
        {
            // Disposing an import completes it; a copy cut short must be abandoned instead, so no partial rows are kept.
            await CancelQuietlyAsync(writer);
            throw;
        }
        return true;
    }

    private static async Task CancelQuietlyAsync(NpgsqlRawCopyStream writer)
    {
        try
        {
            await writer.CancelAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            // The slave session broke with the failure being reported (or the COPY had ended): it kept nothing.
        }
    }

    private static async Task<Dictionary<string, string?>> ColumnTypesAsync(NpgsqlConnection connection, string quotedTable,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ColumnTypesSql, connection);
        command.Parameters.AddWithValue(quotedTable);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var types = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (await rows.ReadAsync(cancellationToken))
            types[rows.GetString(0)] = await rows.IsDBNullAsync(1, cancellationToken) ? null : rows.GetString(1);
        return types;
    }
}
