using Repl.Dialects;
using Repl.Schema;

namespace Repl.Verify;

/// <summary>
/// Compares one table on the master with its copy on one node. First a row count and an order-independent checksum per
/// side (the sum of 64-bit row hashes, streamed: memory does not grow with the table); only when those differ, the
/// differing keys. Keys are matched by their canonical encoding in a hash table, not by a merge of two ORDER BY
/// streams: vendors order text keys by different collations (and MariaDB compares them case-insensitively), so two
/// sorted streams would not line up. To bound memory the key space is cut into buckets by key hash: a first pass finds
/// the buckets whose count or checksum differ, then the master rows of at most <paramref name="maxRowsInMemory"/> of
/// those at a time are held while the node's rows of the same buckets stream past them.
/// </summary>
/// <param name="maxKeys">Differing keys listed per table (all are counted).</param>
/// <param name="maxRowsInMemory">Master rows held in memory at once while matching keys.</param>
internal sealed class TableVerifier(int maxKeys, int maxRowsInMemory = TableVerifier.DefaultMaxRowsInMemory)
{
    /// <summary>Master rows held in memory at once while matching keys, unless told otherwise: tens of megabytes.</summary>
    public const int DefaultMaxRowsInMemory = 100_000;

    private const int Buckets = 1024;

    private readonly RowHasher _hasher = new();

    /// <summary>Row count and checksum of one side.</summary>
    public async Task<SideSummary> ChecksumAsync(TableSide side, TableDefinition table, DbObjectName name, CancellationToken cancellationToken)
    {
        long rows = 0;
        ulong sum = 0;
        await foreach (var row in side.ReadAsync(table, name, cancellationToken))
        {
            rows++;
            sum = unchecked(sum + _hasher.Hash(row));
        }
        return new SideSummary(rows, sum);
    }

    /// <summary>
    /// The keys that differ between the master's rows and the node's (call when their summaries differ); at most
    /// maxKeys of them listed, every one counted.
    /// </summary>
    public async Task<TableDifferences> DiffAsync(TableSide master, ReplicatedTable table, SideSummary masterSummary,
        TableSide node, Func<Task<IDisposable>> lockMaster, CancellationToken cancellationToken)
    {
        var definition = table.Source;
        var keyPositions = definition.Key.Columns.Select(k => IndexOf(definition, k)).ToArray();
        var groups = masterSummary.Rows <= maxRowsInMemory
            ? [null]
            : await DifferingBucketGroupsAsync(master, node, table, keyPositions, lockMaster, cancellationToken);

        var found = new Found(maxKeys);
        foreach (var group in groups)
        {
            var held = new Dictionary<string, HeldRow>(StringComparer.Ordinal);
            using (await lockMaster())
                await foreach (var row in master.ReadAsync(definition, definition.Name, cancellationToken))
                {
                    var key = _hasher.Encode(row, keyPositions);
                    if (group is not null && !group.Contains(Bucket(key)))
                        continue;
                    held[key] = new HeldRow(_hasher.Hash(row), ColumnHashes(row), keyPositions.Select(p => row[p]).ToArray());
                }
            await foreach (var row in node.ReadAsync(definition, table.SlaveName, cancellationToken))
            {
                var key = _hasher.Encode(row, keyPositions);
                if (group is not null && !group.Contains(Bucket(key)))
                    continue;
                if (!held.Remove(key, out var mine))
                {
                    found.Add(DifferenceKind.Extra, Render(definition, keyPositions, keyPositions.Select(p => row[p]).ToArray()), []);
                    continue;
                }
                if (mine.Hash == _hasher.Hash(row))
                    continue;
                var theirs = ColumnHashes(row);
                var columns = definition.Columns.Where((_, i) => mine.Columns[i] != theirs[i]).Select(c => c.Name).ToList();
                found.Add(DifferenceKind.Changed, Render(definition, keyPositions, mine.Key), columns);
            }
            foreach (var missing in held.Values)
                found.Add(DifferenceKind.Missing, Render(definition, keyPositions, missing.Key), []);
        }
        return found.Result();
    }

    // Buckets whose count or checksum differ, grouped so that each group holds at most maxRowsInMemory master rows.
    private async Task<IReadOnlyList<HashSet<int>?>> DifferingBucketGroupsAsync(TableSide master, TableSide node, ReplicatedTable table,
        int[] keyPositions, Func<Task<IDisposable>> lockMaster, CancellationToken cancellationToken)
    {
        (long[] Counts, ulong[] Sums) masterBuckets;
        using (await lockMaster())
            masterBuckets = await BucketsAsync(master, table.Source, table.Source.Name, keyPositions, cancellationToken);
        var nodeBuckets = await BucketsAsync(node, table.Source, table.SlaveName, keyPositions, cancellationToken);
        var groups = new List<HashSet<int>?>();
        var group = new HashSet<int>();
        long held = 0;
        for (var b = 0; b < Buckets; b++)
        {
            if (masterBuckets.Counts[b] == nodeBuckets.Counts[b] && masterBuckets.Sums[b] == nodeBuckets.Sums[b])
                continue;
            if (group.Count > 0 && held + masterBuckets.Counts[b] > maxRowsInMemory)
            {
                groups.Add(group);
                group = [];
                held = 0;
            }
            group.Add(b);
            held += masterBuckets.Counts[b];
        }
        if (group.Count > 0)
            groups.Add(group);
        return groups;
    }

    private async Task<(long[] Counts, ulong[] Sums)> BucketsAsync(TableSide side, TableDefinition table, DbObjectName name,
        int[] keyPositions, CancellationToken cancellationToken)
    {
        var counts = new long[Buckets];
        var sums = new ulong[Buckets];
        await foreach (var row in side.ReadAsync(table, name, cancellationToken))
        {
            var bucket = Bucket(_hasher.Encode(row, keyPositions));
            counts[bucket]++;
            sums[bucket] = unchecked(sums[bucket] + _hasher.Hash(row));
        }
        return (counts, sums);
    }

    // The bucket of an encoded key; string.GetHashCode is randomized per process, which is fine within one verify run.
    private static int Bucket(string encodedKey) => (int)((uint)StringComparer.Ordinal.GetHashCode(encodedKey) % Buckets);

    private ulong[] ColumnHashes(object?[] row)
    {
        var hashes = new ulong[row.Length];
        for (var i = 0; i < row.Length; i++)
            hashes[i] = _hasher.HashValue(row[i]);
        return hashes;
    }

    private static List<KeyValue> Render(TableDefinition table, int[] keyPositions, object?[] key) =>
        keyPositions.Select((p, i) => new KeyValue(table.Columns[p].Name, KeyText.Render(key[i]))).ToList();

    private static int IndexOf(TableDefinition table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i].Name == column)
                return i;
        throw new SchemaException($"Table {table.Name}: key column {column} is not a column of the table.");
    }

    private sealed record HeldRow(ulong Hash, ulong[] Columns, object?[] Key);

    private sealed class Found(int maxKeys)
    {
        private readonly List<KeyDifference> _listed = [];
        private long _missing;
        private long _extra;
        private long _changed;

        public void Add(DifferenceKind kind, IReadOnlyList<KeyValue> key, IReadOnlyList<string> columns)
        {
            switch (kind)
            {
                case DifferenceKind.Missing:
                    _missing++;
                    break;
                case DifferenceKind.Extra:
                    _extra++;
                    break;
                default:
                    _changed++;
                    break;
            }
            if (_listed.Count < maxKeys)
                _listed.Add(new KeyDifference(kind, key, columns));
        }

        public TableDifferences Result() => new(_missing, _extra, _changed,
            [.. _listed.OrderBy(d => d.Kind).ThenBy(d => KeyText.Of(d.Key), StringComparer.Ordinal)]);
    }
}
