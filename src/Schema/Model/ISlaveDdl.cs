namespace Repl.Schema;

/// <summary>Generates the DDL that creates a replicated table on a slave of one vendor.</summary>
public interface ISlaveDdl
{
    /// <summary>
    /// The statements, in order, that create <paramref name="table"/> under the name <paramref name="target"/>:
    /// CREATE TABLE with mapped types and the key, unique constraints (PostgreSQL: DEFERRABLE INITIALLY DEFERRED),
    /// then secondary indexes. Each element is one statement without a trailing semicolon.
    /// </summary>
    IReadOnlyList<string> CreateTable(TableDefinition table, DbObjectName target);

    /// <summary>
    /// The statement that adds a column appended on the master to the slave table. The column is added nullable:
    /// repl copies the table again right after, so existing rows get the master's values, not a default.
    /// </summary>
    string AddColumn(DbObjectName target, ColumnDefinition column);
}
