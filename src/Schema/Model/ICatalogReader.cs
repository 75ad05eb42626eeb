using System.Data.Common;

namespace Repl.Schema;

/// <summary>Reads table definitions from one vendor's catalog. Catalog SQL is kept as parameterised constants.</summary>
public interface ICatalogReader
{
    /// <summary>
    /// Finds the tables whose name matches <paramref name="name"/> case-insensitively (and whose schema matches when given),
    /// in the current database / default schemas. Returns every candidate so callers can report ambiguity.
    /// </summary>
    Task<IReadOnlyList<DbObjectName>> FindTablesAsync(DbConnection connection, DbObjectName name, CancellationToken cancellationToken);

    /// <summary>Reads one table by its exact raw name. Throws <see cref="SchemaException"/> for unsupported types or a missing key.</summary>
    Task<TableDefinition> ReadTableAsync(DbConnection connection, DbObjectName table, CancellationToken cancellationToken);
}
