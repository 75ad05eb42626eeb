using Repl.Schema;

namespace Repl.Dialects;

/// <summary>
/// Everything repl knows about one vendor: schema-level pieces plus the master side (capture and reading; null where
/// the vendor cannot be a master) and the slave side (apply routines, bulk loading, snapshot twins and view flips).
/// </summary>
internal sealed record VendorDialect(SchemaDialect Schema, ICapture? Capture, IMasterReader? Master, IApply Apply, IBulkLoad BulkLoad,
    ISnapshotFlip Snapshot)
{
    /// <summary>The vendor.</summary>
    public Vendor Vendor => Schema.Vendor;

    /// <summary>Master side, purging the logs (null where the vendor cannot be a master).</summary>
    public IPurge? Purge { get; init; }
}
