using Repl.Dialects.MySql;
using Repl.Dialects.PostgreSql;
using Repl.Schema;
using Repl.Schema.PostgreSql;

namespace Repl.Dialects;

/// <summary>The one place that maps a <see cref="Vendor"/> to its dialect; the engine never branches on the vendor.</summary>
internal static class VendorDialects
{
    private static readonly Lazy<VendorDialect> PostgreSqlDialect = new(() =>
    {
        var capture = new PostgreSqlCapture(PostgreSqlSchema.Dialect);
        return new VendorDialect(PostgreSqlSchema.Dialect, capture, new PostgreSqlMaster(PostgreSqlSchema.Dialect, capture),
            new PostgreSqlApply(PostgreSqlSchema.Dialect), new PostgreSqlBulkLoad(PostgreSqlSchema.Dialect));
    });

    /// <summary>The dialect of <paramref name="vendor"/>.</summary>
    public static VendorDialect For(Vendor vendor) => vendor switch
    {
        Vendor.PostgreSql => PostgreSqlDialect.Value,
        _ => throw new ReplException($"{VendorNames.Of(vendor)} is not wired into this build yet."),
    };
}
