using Repl.Schema;

namespace Repl.IntegrationTests.MySqlApply;

/// <summary>One column of every canonical type and rows of edge values for each (NULL, empty, extremes, Unicode, zero bytes).</summary>
internal static class HardValues
{
    public static readonly ColumnDefinition[] Columns =
    [
        new("id", new(CanonicalKind.Int32), IsNullable: false, IsIdentity: false, NativeType: "int"),
        Column("flag", new(CanonicalKind.Boolean)),
        Column("i16", new(CanonicalKind.Int16)),
        Column("i32", new(CanonicalKind.Int32)),
        Column("i64", new(CanonicalKind.Int64)),
        Column("money", new(CanonicalKind.Decimal, Precision: 12, Scale: 3)),
        Column("u64", new(CanonicalKind.Decimal, Precision: 20, Scale: 0)),
        Column("any_decimal", new(CanonicalKind.Decimal)),
        Column("f32", new(CanonicalKind.Float32)),
        Column("f64", new(CanonicalKind.Float64)),
        Column("code", new(CanonicalKind.Char, Length: 5)),
        Column("name", new(CanonicalKind.VarChar, Length: 300)),
        Column("body", new(CanonicalKind.Text)),
        Column("doc", new(CanonicalKind.Json)),
        Column("bytes16", new(CanonicalKind.Binary, Length: 16)),
        Column("blob", new(CanonicalKind.Binary)),
        Column("day", new(CanonicalKind.Date)),
        Column("clock", new(CanonicalKind.Time, Precision: 6)),
        Column("clock0", new(CanonicalKind.Time, Precision: 0)),
        Column("local_at", new(CanonicalKind.Timestamp, Precision: 6)),
        Column("local_ms", new(CanonicalKind.Timestamp, Precision: 3)),
        Column("utc_at", new(CanonicalKind.TimestampTz, Precision: 6)),
        Column("uid", new(CanonicalKind.Uuid)),
    ];

    private static readonly string MaxVarChar = new string('表', 299) + "🙂";

    public static readonly object?[][] Rows =
    [
        [1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
        [2, false, (short)0, 0, 0L, 0m, 0m, 0m, 0f, 0d, "", "", "", "{}", Array.Empty<byte>(), Array.Empty<byte>(),
            new DateOnly(2000, 1, 1), TimeOnly.MinValue, TimeOnly.MinValue, new DateTime(2000, 1, 1), new DateTime(2000, 1, 1),
            new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), Guid.Empty],
        [3, true, short.MaxValue, int.MaxValue, long.MaxValue, 999999999.999m, 18446744073709551615m, decimal.MaxValue,
            float.MaxValue, 0.30000000000000004, "ab", MaxVarChar, "emoji 🙂 CJK 表 nul\0inside \"quotes\" 'single' `back` \\slash\n\r\t\\N",
            "{\"a\": [1, 2.50, \"表🙂\"],  \"b\" : null}", new byte[] { 0, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0 }, new byte[] { 0x00, 0x00, 0xFF, 0x00 },
            new DateOnly(1850, 3, 4), new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), new TimeOnly(23, 59, 59),
            new DateTime(1899, 12, 31, 23, 59, 59).AddTicks(9_999_990), new DateTime(1899, 12, 31, 23, 59, 59, 999),
            new DateTime(2038, 1, 19, 3, 14, 8, DateTimeKind.Utc).AddTicks(10), Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")],
        [4, false, short.MinValue, int.MinValue, long.MinValue, -999999999.999m, 0m, decimal.MinValue,
            16777216f, 1.7976931348623157E+308, "abcde", "trailing  ", new string('x', 70_000), "[]", new byte[16], new byte[70_000],
            new DateOnly(2150, 12, 31), new TimeOnly(0, 0, 0, 0, 1), new TimeOnly(0, 0, 1), new DateTime(2200, 2, 28, 12, 0, 0, 1),
            new DateTime(2200, 2, 28, 12, 0, 0, 1), new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Guid.Parse("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")],
        [5, true, (short)-1, -1, -1L, 0.001m, 1m, 0.0000000000000000000000000001m,
            1.17549435E-38f, double.Epsilon, "a  b", "  ", " ", "\"text\"", new byte[] { 0 }, new byte[] { 0 },
            new DateOnly(1, 1, 1), new TimeOnly(12, 0), new TimeOnly(12, 0), new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990),
            new DateTime(9999, 12, 31, 23, 59, 59, 999), new DateTime(1000, 1, 1, 0, 0, 0, DateTimeKind.Utc), Guid.NewGuid()],
        [6, true, (short)1, 1, 1L, -0.001m, 12345678901234567890m, -1.2345678901234567890123456789m,
            float.Epsilon, 1234567.8901234567, "🙂", "表", "ü", "{\"k\": \"🙂\"}", new byte[] { 1 }, new byte[] { 1 },
            new DateOnly(1000, 1, 1), new TimeOnly(0, 0), new TimeOnly(0, 0), new DateTime(1000, 1, 1), new DateTime(1000, 1, 1),
            new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc), Guid.NewGuid()],
    ];

    private static ColumnDefinition Column(string name, CanonicalType type) => new(name, type, IsNullable: true, IsIdentity: false, NativeType: type.ToString());
}
