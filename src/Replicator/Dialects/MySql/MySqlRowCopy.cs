using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Runtime.ExceptionServices;
using MySqlConnector;
using Repl.Schema;

namespace Repl.Dialects.MySql;

/// <summary>
/// Streams rows into a MariaDB table with MySqlBulkCopy (LOAD DATA LOCAL INFILE fed from memory) inside the caller's
/// transaction, for the bulk load and for the apply routine's stage, one row at a time.
/// <para>
/// Every field is loaded into a user variable and assigned with <c>SET column = @v</c>, binary columns through
/// <c>UNHEX</c> (MySqlBulkCopy writes byte[] as hexadecimal text): that way every column name is quoted by the
/// identifier rules. Left to itself, MySqlBulkCopy would take a column whose name starts with <c>@</c> for a variable,
/// and would not double a backtick in the name of a binary column.
/// </para>
/// <para>
/// LOAD DATA LOCAL turns value errors into warnings even in strict mode (the server cannot stop the client's stream),
/// truncating or zeroing the value; any warning therefore fails the load instead of changing data silently.
/// </para>
/// </summary>
internal static class MySqlRowCopy
{
    /// <summary>
    /// Converts one row of canonical CLR values into the values MySqlBulkCopy writes (see <see cref="IValueCodec.ToProviderValue"/>),
    /// naming <paramref name="table"/> and the column when the codec refuses a value.
    /// </summary>
    public static object[] ToProviderRow(object?[] values, IReadOnlyList<(string Name, CanonicalType Type)> columns, IValueCodec codec,
        DbObjectName table)
    {
        if (values.Length != columns.Count)
            throw new InvalidOperationException($"A row of {table} has {values.Length} values for {columns.Count} columns.");
        var row = new object[values.Length];
        for (var i = 0; i < row.Length; i++)
        {
            try
            {
                row[i] = codec.ToProviderValue(values[i], columns[i].Type) ?? DBNull.Value;
            }
            catch (SchemaException e)
            {
                throw new SchemaException($"Table {table} column {columns[i].Name}: {e.Message}", e);
            }
        }
        return row;
    }

    /// <summary>
    /// Loads <paramref name="rows"/> (from <see cref="ToProviderRow"/>, one value per column of <paramref name="columns"/>) into
    /// <paramref name="destination"/>; returns the number of rows loaded. <paramref name="table"/> names the replicated
    /// table in messages.
    /// </summary>
    public static async Task<long> CopyAsync(DbConnection connection, DbTransaction transaction, IIdentifierRules identifiers,
        DbObjectName table, DbObjectName destination, IReadOnlyList<(string Name, CanonicalType Type)> columns, IAsyncEnumerable<object[]> rows,
        CancellationToken cancellationToken)
    {
        var mysql = connection as MySqlConnection
            ?? throw new ArgumentException($"A MariaDB slave needs a MySqlConnection, not {connection.GetType().Name}.", nameof(connection));
        if (!new MySqlConnectionStringBuilder(mysql.ConnectionString).AllowLoadLocalInfile)
            throw new ReplException(
                $"Cannot load rows of {table} into MariaDB table {destination}: the connection does not allow LOAD DATA LOCAL INFILE. " +
                "Open it with AllowLoadLocalInfile=true in the connection string (repl's connector does).");
        var bulkCopy = new MySqlBulkCopy(mysql, transaction as MySqlTransaction
            ?? throw new ArgumentException($"A MariaDB slave needs a MySqlTransaction, not {transaction.GetType().Name}.", nameof(transaction)))
        {
            DestinationTableName = identifiers.Quote(destination),
            BulkCopyTimeout = 0,
        };
        for (var i = 0; i < columns.Count; i++)
        {
            var variable = "@repl_" + i.ToString(CultureInfo.InvariantCulture);
            var value = columns[i].Type.Kind == CanonicalKind.Binary ? $"UNHEX({variable})" : variable;
            bulkCopy.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, variable, $"{identifiers.Quote(columns[i].Name)} = {value}"));
        }

        await using var reader = new RowReader(rows, columns.Count, cancellationToken);
        try
        {
            var result = await bulkCopy.WriteToServerAsync(reader, cancellationToken);
            if (result.Warnings.Count > 0)
                throw new ReplException(
                    $"MariaDB changed values of {table} while loading them into {destination}, so the load was stopped: " +
                    string.Join("; ", result.Warnings.Take(5).Select(w => $"{w.Level} {w.ErrorCode}: {w.Message}")) +
                    ". The slave table's column types no longer hold the master's values; compare them (repl verify) and recreate the table.");
            return result.RowsInserted;
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.NotAllowedCommand)
        {
            throw new ReplException(
                $"The MariaDB slave refuses LOAD DATA LOCAL INFILE, with which repl loads rows of {table} into {destination}: {e.Message}. " +
                "Enable it on the server: local_infile=1 under [mariadbd] in my.cnf, or SET GLOBAL local_infile = 1.", e);
        }
        catch (MySqlException) when (reader.Failure is { } failure)
        {
            // MySqlBulkCopy wraps what the rows' source threw (the master's read failing, a value the codec refuses,
            // cancellation); that error is the one that says what happened. MySqlConnector then leaves the connection broken,
            // and the server rolls its transaction back.
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    /// <summary>
    /// The rows as the DbDataReader MySqlBulkCopy reads: asynchronously (<see cref="ReadAsync"/>), values through
    /// <see cref="GetValues"/>. Holds one row at a time.
    /// </summary>
    private sealed class RowReader(IAsyncEnumerable<object[]> rows, int fieldCount, CancellationToken cancellationToken) : DbDataReader
    {
        private readonly IAsyncEnumerator<object[]> enumerator = rows.GetAsyncEnumerator(cancellationToken);
        private object[]? current;
        private bool closed;

        public override int FieldCount => fieldCount;

        public override int Depth => 0;

        public override bool IsClosed => closed;

        public override int RecordsAffected => -1;

        public override bool HasRows => throw Unsupported();

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => throw Unsupported();

        /// <summary>What the rows' source threw, which MySqlBulkCopy reports wrapped.</summary>
        public Exception? Failure { get; private set; }

        public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    current = null;
                    return false;
                }
                current = enumerator.Current;
                return true;
            }
            catch (Exception e)
            {
                Failure = e;
                throw;
            }
        }

        public override bool Read() => throw new NotSupportedException("Rows stream from an asynchronous source: read them with ReadAsync.");

        public override object GetValue(int ordinal) => Current[ordinal];

        public override int GetValues(object[] values)
        {
            var count = Math.Min(values.Length, fieldCount);
            Array.Copy(Current, values, count);
            return count;
        }

        public override bool IsDBNull(int ordinal) => Current[ordinal] is DBNull;

        public override string GetDataTypeName(int ordinal) => throw Unsupported();

        public override Type GetFieldType(int ordinal) => typeof(object);

        public override string GetName(int ordinal) => throw Unsupported();

        public override int GetOrdinal(string name) => throw Unsupported();

        public override bool NextResult() => false;

        public override void Close() => closed = true;

        public override async ValueTask DisposeAsync()
        {
            closed = true;
            await enumerator.DisposeAsync();
            await base.DisposeAsync();
        }

        public override bool GetBoolean(int ordinal) => throw Unsupported();

        public override byte GetByte(int ordinal) => throw Unsupported();

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw Unsupported();

        public override char GetChar(int ordinal) => throw Unsupported();

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw Unsupported();

        public override DateTime GetDateTime(int ordinal) => throw Unsupported();

        public override decimal GetDecimal(int ordinal) => throw Unsupported();

        public override double GetDouble(int ordinal) => throw Unsupported();

        public override float GetFloat(int ordinal) => throw Unsupported();

        public override Guid GetGuid(int ordinal) => throw Unsupported();

        public override short GetInt16(int ordinal) => throw Unsupported();

        public override int GetInt32(int ordinal) => throw Unsupported();

        public override long GetInt64(int ordinal) => throw Unsupported();

        public override string GetString(int ordinal) => throw Unsupported();

        public override IEnumerator GetEnumerator() => throw Unsupported();

        private object[] Current => current ?? throw new InvalidOperationException("No current row: call ReadAsync first.");

        private static NotSupportedException Unsupported() =>
            new("This reader only feeds MySqlBulkCopy: it answers ReadAsync, GetValue(s) and IsDBNull.");
    }
}
