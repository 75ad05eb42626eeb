namespace Repl.Schema;

/// <summary>The schema-level pieces of one vendor, found by <c>SchemaDialects.For</c>.</summary>
/// <param name="Vendor">Which vendor.</param>
/// <param name="Identifiers">Quoting and shortening.</param>
/// <param name="Types">The vendor's row of the canonical type map.</param>
/// <param name="Catalog">Reads table definitions.</param>
/// <param name="Ddl">Creates slave tables.</param>
/// <param name="Values">Moves values between driver and canonical CLR types.</param>
public sealed record SchemaDialect(Vendor Vendor, IIdentifierRules Identifiers, ITypeMap Types, ICatalogReader Catalog, ISlaveDdl Ddl, IValueCodec Values);
