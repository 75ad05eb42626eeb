using System.Data.Common;
using System.Text;
using Repl.Connections;
using Repl.Schema;

namespace Repl.Dialects.Oracle;

/// <summary>
/// Runs one INSERT for many rows in one round trip with ODP.NET array binding: each parameter's value is the array of
/// that column's values and <c>OracleCommand.ArrayBindCount</c> says how many rows there are. repl does not reference
/// the driver, so <c>ArrayBindCount</c> is set by reflection, and each parameter's <c>OracleDbType</c> through
/// <see cref="IValueCodec.Bind"/> (which sets it by reflection too). Generated and golden-tested; not run against a live Oracle.
/// </summary>
internal static class OracleArrayBind
{
    /// <summary>Rows per round trip: large enough to amortise the round trip, small enough to keep the arrays modest.</summary>
    public const int MaxRows = 5000;

    /// <summary>The name of the ODP.NET command property that turns array binding on.</summary>
    public const string ArrayBindCountProperty = "ArrayBindCount";

    /// <summary>
    /// <c>INSERT INTO target (columns) VALUES (:p0, :p1, …)</c>: one positional placeholder per column, in order, so
    /// ODP.NET's default binding by position and binding by name agree.
    /// </summary>
    public static string InsertSql(IIdentifierRules identifiers, DbObjectName target, IEnumerable<string> columns)
    {
        var names = columns.Select(identifiers.Quote).ToList();
        return $"INSERT INTO {identifiers.Quote(target)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, i) => Placeholder(i)))})";
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> (canonical CLR values, one per <paramref name="types"/> entry) with one execution of
    /// <paramref name="sql"/>; at most <see cref="MaxRows"/> rows.
    /// </summary>
    public static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<CanonicalType> types,
        IReadOnlyList<object?[]> rows, IValueCodec values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows.Count, MaxRows);
        if (rows.Count == 0)
            return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        // ODP.NET's OracleCommand.ArrayBindCount, set by reflection because repl never references Oracle.ManagedDataAccess.
        var arrayBindCount = command.GetType().GetProperty(ArrayBindCountProperty, typeof(int));
        if (arrayBindCount is not { CanWrite: true })
            throw new ReplException(
                $"The Oracle connection's command ({command.GetType().FullName}) has no {ArrayBindCountProperty} property, so it is not " +
                $"Oracle's ODP.NET driver. repl writes to Oracle through {OracleDriver.AssemblyName}.dll: put it next to repl or set " +
                $"{OracleDriver.PathVariable} to it.");
        arrayBindCount.SetValue(command, rows.Count);

        for (var c = 0; c < types.Count; c++)
        {
            var column = new object?[rows.Count];
            object? widest = null;
            var widestSize = -1;
            for (var r = 0; r < rows.Count; r++)
            {
                var value = rows[r][c];
                column[r] = values.ToProviderValue(value, types[c]);
                var size = value is null ? -1 : Size(value);
                if (size > widestSize)
                    (widest, widestSize) = (value, size);
            }
            var parameter = command.CreateParameter();
            parameter.ParameterName = Name(c);
            // Bind chooses the OracleDbType from a value: the longest one decides between Varchar2 and Clob, Raw and Blob,
            // for the whole array. The parameter's value is then the array itself (DBNull elements are NULLs).
            values.Bind(parameter, widest, types[c]);
            parameter.Value = column;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Name(int column) => "p" + column.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Placeholder(int column) => ":" + Name(column);

    // Only the length of text and binary values changes the OracleDbType; any other non-null value is as good as the next.
    private static int Size(object value) => value switch
    {
        string text => Encoding.UTF8.GetByteCount(text),
        byte[] bytes => bytes.Length,
        _ => 0,
    };
}
