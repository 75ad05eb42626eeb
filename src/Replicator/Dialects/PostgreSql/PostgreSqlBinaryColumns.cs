using Npgsql;
using NpgsqlTypes;
using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.Dialects.PostgreSql;

/// <summary>
/// Writes canonical row values into a binary COPY, each with the PostgreSQL type of its column: binary COPY carries no
/// type information, so a value written with the wrong type would be misread by the server.
/// </summary>
internal sealed class PostgreSqlBinaryColumns
{
    private readonly TableDefinition table;
    private readonly IValueCodec values;
    private readonly NpgsqlDbType[] types;

    /// <summary>Prepares the column types of <paramref name="table"/>.</summary>
    public PostgreSqlBinaryColumns(TableDefinition table, IValueCodec values)
    {
        this.table = table;
        this.values = values;
        types = table.Columns.Select(c => PostgreSqlValues.DbTypeOf(c.Type)).ToArray();
    }

    /// <summary>Writes every column of one row (the row must already be started); null values are written as NULL.</summary>
    public async Task WriteAsync(NpgsqlBinaryImporter writer, object?[] row, CancellationToken cancellationToken)
    {
        var columns = table.Columns;
        if (row.Length != columns.Count)
            throw new ArgumentException(
                $"A row for table {table.Name} has {row.Length} values; the table has {columns.Count} columns.", nameof(row));
        for (var i = 0; i < row.Length; i++)
        {
            // Converted before writing: Npgsql breaks the connection when a value fails in the middle of a COPY.
            var value = Convert(row[i], columns[i]);
            if (value is null)
                await writer.WriteNullAsync(cancellationToken);
            else
                await writer.WriteAsync(value, types[i], cancellationToken);
        }
    }

    private object? Convert(object? value, ColumnDefinition column)
    {
        if (value is null or DBNull)
            return null;
        try
        {
            return values.ToProviderValue(value, column.Type);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"Table {table.Name} column {column.Name} ({column.Type}): {e.Message}", e);
        }
    }
}
