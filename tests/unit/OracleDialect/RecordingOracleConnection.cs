using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Repl.Tests.OracleDialect;

/// <summary>
/// Stands in for ODP.NET's ADO.NET classes where no Oracle driver exists: it is no database, it records what repl hands
/// the driver (command text, the ODP.NET-only <c>ArrayBindCount</c> and <c>OracleDbType</c> that repl sets by reflection,
/// parameter values) and answers with what a test scripts.
/// </summary>
internal sealed class RecordingOracleConnection : DbConnection
{
    public List<ExecutedCommand> Executed { get; } = [];

    /// <summary>Called for every execution; may set output parameters or throw.</summary>
    public Action<RecordingOracleCommand> OnExecute { get; set; } = _ => { };

    [AllowNull]
    public override string ConnectionString { get; set; } = "";
    public override string Database => "FAKE";
    public override string DataSource => "fake";
    public override string ServerVersion => "19.0";
    public override ConnectionState State => ConnectionState.Open;
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();
    public override void Close() { }
    public override void Open() { }
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this, isolationLevel);
    protected override DbCommand CreateDbCommand() => new RecordingOracleCommand(this);

    internal int Record(RecordingOracleCommand command)
    {
        Executed.Add(new ExecutedCommand(command.CommandText, command.ArrayBindCount, command.Transaction,
            command.Parameters.Cast<RecordingOracleParameter>().Select(p => new ExecutedParameter(p.ParameterName, p.OracleDbType, p.Value)).ToList()));
        OnExecute(command);
        return command.ArrayBindCount == 0 ? 1 : command.ArrayBindCount;
    }
}

internal sealed record ExecutedCommand(string CommandText, int ArrayBindCount, DbTransaction? Transaction, IReadOnlyList<ExecutedParameter> Parameters);

internal sealed record ExecutedParameter(string Name, FakeOracleDbType OracleDbType, object? Value);

/// <summary>The members of ODP.NET's OracleDbType that repl's value codec names.</summary>
internal enum FakeOracleDbType
{
    Unset, Int16, Int32, Int64, Decimal, BinaryFloat, BinaryDouble, Varchar2, Clob, Raw, Blob, Date, IntervalDS, TimeStamp, TimeStampTZ,
}

internal sealed class RecordingTransaction(RecordingOracleConnection connection, IsolationLevel isolationLevel) : DbTransaction
{
    public override IsolationLevel IsolationLevel => isolationLevel;
    protected override DbConnection DbConnection => connection;
    public override void Commit() { }
    public override void Rollback() { }
}

internal sealed class RecordingOracleCommand(RecordingOracleConnection connection) : DbCommand
{
    private readonly RecordingParameterCollection parameters = new();

    /// <summary>ODP.NET's OracleCommand.ArrayBindCount.</summary>
    public int ArrayBindCount { get; set; }

    [AllowNull]
    public override string CommandText { get; set; } = "";
    public override int CommandTimeout { get; set; } = 30;
    public override CommandType CommandType { get; set; } = CommandType.Text;
    public override bool DesignTimeVisible { get; set; }
    public override UpdateRowSource UpdatedRowSource { get; set; }
    protected override DbConnection? DbConnection { get; set; } = connection;
    protected override DbParameterCollection DbParameterCollection => parameters;
    protected override DbTransaction? DbTransaction { get; set; }
    public override void Cancel() { }
    public override int ExecuteNonQuery() => connection.Record(this);
    public override object? ExecuteScalar()
    {
        connection.Record(this);
        return 1;
    }
    public override void Prepare() { }
    protected override DbParameter CreateDbParameter() => new RecordingOracleParameter();
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw new NotSupportedException();
}

internal sealed class RecordingOracleParameter : DbParameter
{
    /// <summary>ODP.NET's OracleParameter.OracleDbType, which repl's value codec sets by name through reflection.</summary>
    public FakeOracleDbType OracleDbType { get; set; }

    public override DbType DbType { get; set; } = DbType.String;
    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;
    public override bool IsNullable { get; set; }
    [AllowNull]
    public override string ParameterName { get; set; } = "";
    public override int Size { get; set; }
    [AllowNull]
    public override string SourceColumn { get; set; } = "";
    public override bool SourceColumnNullMapping { get; set; }
    public override object? Value { get; set; }
    public override void ResetDbType() => DbType = DbType.String;
}

internal sealed class RecordingParameterCollection : DbParameterCollection
{
    private readonly List<DbParameter> items = [];

    public override int Count => items.Count;
    public override object SyncRoot => items;
    public override int Add(object value)
    {
        items.Add((DbParameter)value);
        return items.Count - 1;
    }
    public override void AddRange(Array values)
    {
        foreach (var value in values)
            Add(value);
    }
    public override void Clear() => items.Clear();
    public override bool Contains(object value) => items.Contains((DbParameter)value);
    public override bool Contains(string value) => IndexOf(value) >= 0;
    public override void CopyTo(Array array, int index) => ((ICollection)items).CopyTo(array, index);
    public override IEnumerator GetEnumerator() => items.GetEnumerator();
    public override int IndexOf(object value) => items.IndexOf((DbParameter)value);
    public override int IndexOf(string parameterName) => items.FindIndex(p => p.ParameterName == parameterName);
    public override void Insert(int index, object value) => items.Insert(index, (DbParameter)value);
    public override void Remove(object value) => items.Remove((DbParameter)value);
    public override void RemoveAt(int index) => items.RemoveAt(index);
    public override void RemoveAt(string parameterName) => items.RemoveAt(IndexOf(parameterName));
    protected override DbParameter GetParameter(int index) => items[index];
    protected override DbParameter GetParameter(string parameterName) => items[IndexOf(parameterName)];
    protected override void SetParameter(int index, DbParameter value) => items[index] = value;
    protected override void SetParameter(string parameterName, DbParameter value) => items[IndexOf(parameterName)] = value;
}
