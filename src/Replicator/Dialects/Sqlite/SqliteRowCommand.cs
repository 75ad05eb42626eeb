using System.Data.Common;
using Microsoft.Data.Sqlite;
using Repl.Schema;

namespace Repl.Dialects.Sqlite;

/// <summary>
/// One statement compiled once on a SQLite connection and run once per row: its parameters are created once and
/// rebound for every row through the value codec, so no row pays for parsing or planning the statement again.
/// Parameter <c>$pN</c> takes the row value at the N-th of the given column positions. Disposing is synchronous because
/// SQLite runs in process: there is nothing to flush over a network.
/// </summary>
internal sealed class SqliteRowCommand : IDisposable
{
    private readonly SqliteCommand command;
    private readonly SqliteParameter[] parameters;
    private readonly int[] positions;
    private readonly CanonicalType[] types;
    private readonly IValueCodec values;

    private SqliteRowCommand(SqliteCommand command, SqliteParameter[] parameters, int[] positions, CanonicalType[] types, IValueCodec values)
    {
        this.command = command;
        this.parameters = parameters;
        this.positions = positions;
        this.types = types;
        this.values = values;
    }

    /// <summary>The parameter placeholder of the <paramref name="index"/>-th bound column.</summary>
    public static string Placeholder(int index) => "$p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Compiles <paramref name="sql"/> in <paramref name="transaction"/>, binding placeholder N to the row value at
    /// <paramref name="positions"/>[N] as a column of <paramref name="table"/>. A statement SQLite refuses (table or
    /// column missing on the slave) is reported naming <paramref name="target"/>.
    /// </summary>
    public static SqliteRowCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, TableDefinition table,
        DbObjectName target, IReadOnlyList<int> positions, IValueCodec values)
    {
        var sqlite = connection as SqliteConnection ?? throw new ArgumentException(
            $"Writing {target} on a SQLite slave needs a Microsoft.Data.Sqlite connection, not {connection.GetType().Name}.", nameof(connection));
        var command = sqlite.CreateCommand();
        try
        {
            // Microsoft.Data.Sqlite refuses a command whose transaction is not the connection's current one.
            command.Transaction = (SqliteTransaction)transaction;
            // CommandTimeout stays the connection's Default Timeout: in SQLite it bounds only the wait for another writer's
            // lock (never the work of a statement), the same wait the connector sets as busy_timeout.
            command.CommandText = sql;
            var parameters = new SqliteParameter[positions.Count];
            for (var i = 0; i < parameters.Length; i++)
                parameters[i] = command.Parameters.Add(new SqliteParameter { ParameterName = Placeholder(i) });
            command.Prepare();
            return new SqliteRowCommand(command, parameters, [.. positions], [.. positions.Select(p => table.Columns[p].Type)], values);
        }
        catch (SqliteException e)
        {
            command.Dispose();
            throw new ReplException(
                $"SQLite refused the statement that writes table {target} on this slave: {e.Message}. The slave table is missing " +
                "or no longer matches the master's columns; run repl init (or repl resync for the table) to recreate it.", e);
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    /// <summary>Binds the values of <paramref name="row"/> (table column order) and runs the statement; returns rows changed.</summary>
    public Task<int> ExecuteAsync(object?[] row, CancellationToken cancellationToken)
    {
        for (var i = 0; i < parameters.Length; i++)
            values.Bind(parameters[i], row[positions[i]], types[i]);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => command.Dispose();
}
