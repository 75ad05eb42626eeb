namespace Repl.Schema;

/// <summary>
/// One vendor's row of the canonical type map: how its native types read into canonical types
/// (master side) and how canonical types are written as DDL (slave side).
/// </summary>
public interface ITypeMap
{
    /// <summary>
    /// Maps a native column type as its catalog reports it to a canonical type. Throws a <see cref="SchemaException"/>
    /// naming table.column, the native type and the supported types when it does not map.
    /// </summary>
    CanonicalType FromNative(DbObjectName table, string column, NativeColumnType native);

    /// <summary>The DDL spelling of a canonical type on this vendor, e.g. <c>varchar(200)</c>.</summary>
    string ToDdl(CanonicalType type);

    /// <summary>The native type names this vendor's catalog reader accepts, for error messages and docs.</summary>
    IReadOnlyList<string> SupportedNativeTypes { get; }
}

/// <summary>A native column type as a catalog reports it: the type name and its facets.</summary>
/// <param name="TypeName">The catalog's type name, lower case (e.g. <c>character varying</c>, <c>varchar</c>, <c>number</c>).</param>
/// <param name="Length">Character or byte length, when the type has one.</param>
/// <param name="Precision">Numeric precision or fractional-second precision, when the type has one.</param>
/// <param name="Scale">Numeric scale, when the type has one.</param>
/// <param name="FullType">The full declared spelling (e.g. MariaDB COLUMN_TYPE <c>tinyint(1) unsigned</c>), for messages.</param>
public sealed record NativeColumnType(string TypeName, int? Length = null, int? Precision = null, int? Scale = null, string? FullType = null);
