using Repl.Schema;

namespace Repl.IntegrationTests.Sqlite;

/// <summary>Canonical types for SQLite integration tests.</summary>
internal static class SqliteTypes
{
    /// <summary>One of every canonical kind, with and without its facets.</summary>
    public static IReadOnlyList<CanonicalType> All { get; } =
    [
        new(CanonicalKind.Boolean), new(CanonicalKind.Int16), new(CanonicalKind.Int32), new(CanonicalKind.Int64),
        new(CanonicalKind.Decimal, Precision: 12, Scale: 2), new(CanonicalKind.Decimal, Precision: 10), new(CanonicalKind.Decimal),
        new(CanonicalKind.Float32), new(CanonicalKind.Float64),
        new(CanonicalKind.Char, Length: 3), new(CanonicalKind.VarChar, Length: 200), new(CanonicalKind.Text),
        new(CanonicalKind.Binary, Length: 16), new(CanonicalKind.Binary), new(CanonicalKind.Date),
        new(CanonicalKind.Time, Precision: 6), new(CanonicalKind.Time),
        new(CanonicalKind.Timestamp, Precision: 0), new(CanonicalKind.Timestamp),
        new(CanonicalKind.TimestampTz, Precision: 3), new(CanonicalKind.TimestampTz),
        new(CanonicalKind.Uuid), new(CanonicalKind.Json),
    ];
}
