namespace Repl.IntegrationTests.Properties;

/// <summary>
/// What the master holds while a history runs: the committed rows of items/pairs/details and, per open writer session,
/// the rows it changed (which it also locks). A step is valid when it only touches keys visible to its session and not
/// locked by another, and every new key or UNIQUE code is unused everywhere — so the master never blocks or refuses a
/// step, whatever the interleaving. Only one open session at a time changes items beyond its note (see TryApply).
/// </summary>
internal sealed class HistoryModel
{
    private readonly Table<int, Item> _items = new();
    private readonly Table<(string K1, int K2), Pair> _pairs = new();
    private readonly Table<int, Line> _lines = new();
    private readonly HashSet<int> _open = [];
    private readonly HashSet<int> _codeWriters = [];

    /// <summary>A model holding <see cref="InitialRows"/>.</summary>
    public HistoryModel()
    {
        foreach (var op in InitialRows)
        {
            _open.Add(-1);
            if (!TryApply(-1, op))
                throw new InvalidOperationException("The initial rows are not valid: " + op.ToSql());
            Commit(-1);
        }
    }

    /// <summary>The rows the master holds before <c>repl init</c>, so the initial load is part of every history.</summary>
    public static IReadOnlyList<Op> InitialRows { get; } =
    [
        new InsertItem(1, "c1", "first"),
        new InsertItem(2, "c2", null),
        new InsertItem(3, "c3", ""),
        new InsertItem(4, "c4", "Grüße 🙂"),
        new InsertPair("a", 1, "00FF00", "zero bytes"),
        new InsertPair("日本", 2, "", null),
        new InsertPair("ß", 3, null, ""),
        new InsertLine(1, 1, "line of 1"),
        new InsertLine(2, 1, null),
        new InsertLine(3, 4, "tab\tnew\nline"),
    ];

    /// <summary>Whether <paramref name="session"/> has an open transaction.</summary>
    public bool IsOpen(int session) => _open.Contains(session);

    /// <summary>The sessions with an open transaction.</summary>
    public IReadOnlyList<int> OpenSessions => [.. _open.Where(s => s >= 0).Order()];

    /// <summary>Item keys <paramref name="session"/> may touch.</summary>
    public IReadOnlyList<int> ItemKeys(int session) => _items.Touchable(session);

    /// <summary>Pair keys <paramref name="session"/> may touch.</summary>
    public IReadOnlyList<(string K1, int K2)> PairKeys(int session) => _pairs.Touchable(session);

    /// <summary>Line keys <paramref name="session"/> may touch.</summary>
    public IReadOnlyList<int> LineKeys(int session) => _lines.Touchable(session);

    /// <summary>Whether <paramref name="session"/> may change items beyond a note update now.</summary>
    public bool MayWriteItemCodes(int session) => _codeWriters.All(w => w == session);

    /// <summary>The code of an item as <paramref name="session"/> sees it.</summary>
    public string ItemCode(int session, int id) => _items.View(session, id)!.Code;

    /// <summary>Applies one step if it is valid; false (and no change) if not.</summary>
    public bool TryStep(Step step)
    {
        switch (step)
        {
            case Begin b:
                return _open.Add(b.Session);
            case Run r:
                return _open.Contains(r.Session) && TryApply(r.Session, r.Op);
            case Commit c when _open.Contains(c.Session):
                Commit(c.Session);
                return true;
            case Rollback rb when _open.Contains(rb.Session):
                _items.Rollback(rb.Session);
                _pairs.Rollback(rb.Session);
                _lines.Rollback(rb.Session);
                _open.Remove(rb.Session);
                _codeWriters.Remove(rb.Session);
                return true;
            case Replay:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The history with every step the model refuses dropped, and a COMMIT for each transaction left open — how a
    /// shrunk candidate is made valid again.
    /// </summary>
    public static History Normalize(IEnumerable<Step> steps)
    {
        var model = new HistoryModel();
        var kept = new List<Step>();
        foreach (var step in steps)
        {
            if (model.TryStep(step))
                kept.Add(step);
        }
        foreach (var session in model.OpenSessions)
        {
            model.TryStep(new Commit(session));
            kept.Add(new Commit(session));
        }
        return new History(kept);
    }

    /// <summary>Whether every step of <paramref name="history"/> is valid and no transaction is left open.</summary>
    public static bool IsValid(History history)
    {
        var model = new HistoryModel();
        return history.Steps.All(model.TryStep) && model.OpenSessions.Count == 0;
    }

    private bool TryApply(int s, Op op)
    {
        // Every items change but a note update writes the UNIQUE code index, where MariaDB checks duplicates with
        // next-key locks even under READ COMMITTED: a second open session writing that index could wait on the first.
        if (op is InsertItem or DeleteItem or ChangeItemId or SwapItemCodes or ReinsertItem)
        {
            if (_codeWriters.Any(w => w != s))
                return false;
            if (!TryApplyChange(s, op))
                return false;
            _codeWriters.Add(s);
            return true;
        }
        return TryApplyChange(s, op);
    }

    private bool TryApplyChange(int s, Op op)
    {
        switch (op)
        {
            case InsertItem i when _items.CanInsert(s, i.Id) && CodeIsFree(s, i.Code):
                _items.Set(s, i.Id, new Item(i.Code, i.Note));
                return true;
            case UpdateItem u when _items.CanTouch(s, u.Id):
                _items.Set(s, u.Id, _items.View(s, u.Id)! with { Note = u.Note });
                return true;
            case DeleteItem d when _items.CanTouch(s, d.Id):
                _items.Set(s, d.Id, null);
                return true;
            case ChangeItemId c when _items.CanTouch(s, c.From) && _items.CanInsert(s, c.To):
                var moved = _items.View(s, c.From)!;
                _items.Set(s, c.From, null);
                _items.Set(s, c.To, moved);
                return true;
            case SwapItemCodes w when w.A != w.B && _items.CanTouch(s, w.A) && _items.CanTouch(s, w.B)
                && _items.View(s, w.A)!.Code == w.CodeA && _items.View(s, w.B)!.Code == w.CodeB && CodeIsFree(s, w.Temp):
                _items.Set(s, w.A, _items.View(s, w.A)! with { Code = w.CodeB });
                _items.Set(s, w.B, _items.View(s, w.B)! with { Code = w.CodeA });
                return true;
            case ReinsertItem r when _items.CanTouch(s, r.Id) && (CodeIsFree(s, r.Code) || _items.View(s, r.Id)!.Code == r.Code):
                _items.Set(s, r.Id, new Item(r.Code, r.Note));
                return true;
            case InsertPair i when _pairs.CanInsert(s, (i.K1, i.K2)):
                _pairs.Set(s, (i.K1, i.K2), new Pair(i.DataHex, i.Label));
                return true;
            case UpdatePair u when _pairs.CanTouch(s, (u.K1, u.K2)):
                _pairs.Set(s, (u.K1, u.K2), new Pair(u.DataHex, u.Label));
                return true;
            case DeletePair d when _pairs.CanTouch(s, (d.K1, d.K2)):
                _pairs.Set(s, (d.K1, d.K2), null);
                return true;
            case ChangePairKey c when _pairs.CanTouch(s, (c.K1, c.K2)) && _pairs.CanInsert(s, (c.K1, c.NewK2)):
                var pair = _pairs.View(s, (c.K1, c.K2))!;
                _pairs.Set(s, (c.K1, c.K2), null);
                _pairs.Set(s, (c.K1, c.NewK2), pair);
                return true;
            case InsertLine i when _lines.CanInsert(s, i.Id):
                _lines.Set(s, i.Id, new Line(i.ItemId, i.Memo));
                return true;
            case UpdateLine u when _lines.CanTouch(s, u.Id):
                _lines.Set(s, u.Id, new Line(u.ItemId, u.Memo));
                return true;
            case DeleteLine d when _lines.CanTouch(s, d.Id):
                _lines.Set(s, d.Id, null);
                return true;
            default:
                return false;
        }
    }

    // A code the session sees in use, or one another open transaction wrote or holds the old row of, would make the
    // master refuse or wait; a code this session freed itself may be reused (the slaves' hardest case).
    private bool CodeIsFree(int session, string code) => !_items.RowsSeenOrHeld(session).Any(i => i.Code == code);

    private void Commit(int session)
    {
        _items.Commit(session);
        _pairs.Commit(session);
        _lines.Commit(session);
        _open.Remove(session);
        _codeWriters.Remove(session);
    }

    private sealed record Item(string Code, string? Note);

    private sealed record Pair(string? DataHex, string? Label);

    private sealed record Line(int ItemId, string? Memo);

    /// <summary>Committed rows plus each open session's written rows (null = deleted), which that session locks.</summary>
    private sealed class Table<TKey, TRow>
        where TKey : notnull
        where TRow : class
    {
        private readonly Dictionary<TKey, TRow> _committed = [];
        private readonly Dictionary<int, Dictionary<TKey, TRow?>> _written = [];

        public TRow? View(int session, TKey key) =>
            _written.TryGetValue(session, out var mine) && mine.TryGetValue(key, out var row) ? row : _committed.GetValueOrDefault(key);

        public bool CanTouch(int session, TKey key) => View(session, key) is not null && !LockedByOther(session, key);

        // A new key must be unused everywhere: also not a key another session deleted or wrote (it holds its lock).
        public bool CanInsert(int session, TKey key) =>
            View(session, key) is null && !LockedByOther(session, key)
            && (!_committed.ContainsKey(key) || _written.TryGetValue(session, out var mine) && mine.ContainsKey(key));

        public IReadOnlyList<TKey> Touchable(int session)
        {
            var keys = new HashSet<TKey>(_committed.Keys);
            if (_written.TryGetValue(session, out var mine))
                keys.UnionWith(mine.Keys);
            return [.. keys.Where(k => CanTouch(session, k)).OrderBy(k => k.ToString(), StringComparer.Ordinal)];
        }

        public IEnumerable<TRow> RowsSeenOrHeld(int session)
        {
            var mine = _written.GetValueOrDefault(session);
            var seen = _committed.Where(c => mine is null || !mine.ContainsKey(c.Key)).Select(c => c.Value)
                .Concat(mine?.Values.OfType<TRow>() ?? []);
            var held = _written.Where(w => w.Key != session).SelectMany(w => w.Value)
                .SelectMany(kv => new[] { kv.Value, _committed.GetValueOrDefault(kv.Key) }).OfType<TRow>();
            return seen.Concat(held);
        }

        public void Set(int session, TKey key, TRow? row)
        {
            if (!_written.TryGetValue(session, out var mine))
                _written[session] = mine = [];
            mine[key] = row;
        }

        public void Commit(int session)
        {
            if (!_written.Remove(session, out var mine))
                return;
            foreach (var (key, row) in mine)
            {
                if (row is null)
                    _committed.Remove(key);
                else
                    _committed[key] = row;
            }
        }

        public void Rollback(int session) => _written.Remove(session);

        private bool LockedByOther(int session, TKey key) => _written.Any(w => w.Key != session && w.Value.ContainsKey(key));
    }
}
