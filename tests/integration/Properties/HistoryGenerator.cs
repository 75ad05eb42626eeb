using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Repl.IntegrationTests.Properties;

/// <summary>
/// Generates valid histories from a seed (writer sessions interleaved, replay cycles at random points, session 2 holding
/// a long transaction open across at least one cycle) and shrinks them by dropping transactions, cycles and changes,
/// re-validating every candidate against <see cref="HistoryModel"/>.
/// </summary>
internal static class HistoryGenerator
{
    private const int Sessions = 3;
    private const int LongSession = 2;
    private static readonly string[] Texts = ["", "plain", "Grüße", "日本語", "emoji 🙂🚀", "quote ' and \" and \\", "tab\tnew\nline"];
    private static readonly string[] PairK1 = ["a", "b", "日本", "ß", "ss", ""];

    /// <summary>Histories growing with FsCheck's size, shrinking to smaller valid histories.</summary>
    public static Arbitrary<History> Histories { get; } =
        Arb.From(Gen.Sized(size => Gen.Choose(0, int.MaxValue - 1).Select(seed => Generate(seed, size))), Shrink);

    /// <summary>A valid history of about 2 + <paramref name="size"/>/8 transactions.</summary>
    public static History Generate(int seed, int size)
    {
        var random = new Random(seed);
        var model = new HistoryModel();
        var steps = new List<Step>();
        var fresh = 100;
        var targetTransactions = 2 + size / 8;
        var begun = 0;
        var planned = new int[Sessions];
        var done = new int[Sessions];
        var replayedSinceBegin = new bool[Sessions];

        void Add(Step step)
        {
            if (!model.TryStep(step))
                throw new InvalidOperationException("The generator made an invalid step: " + step.ToText());
            steps.Add(step);
            if (step is Replay)
                Array.Fill(replayedSinceBegin, true);
        }

        void BeginOn(int session, int changes)
        {
            Add(new Begin(session));
            begun++;
            planned[session] = changes;
            done[session] = 0;
            replayedSinceBegin[session] = false;
        }

        // The long transaction: begun first, ended only after at least one cycle ran (and, while others are open, not
        // before half the transactions began).
        BeginOn(LongSession, random.Next(2, 6));
        while (begun < targetTransactions || model.OpenSessions.Count > 0)
        {
            if (random.Next(8) == 0 && steps[^1] is not Replay)
                Add(new Replay());
            var idle = Enumerable.Range(0, Sessions - 1).Where(s => !model.IsOpen(s)).ToList();
            if (begun < targetTransactions && idle.Count > 0 && (model.OpenSessions.Count == 0 || random.Next(3) == 0))
            {
                BeginOn(idle[random.Next(idle.Count)], random.Next(1, 6));
                continue;
            }
            var open = model.OpenSessions;
            var session = open[random.Next(open.Count)];
            if (done[session] < planned[session])
            {
                Add(new Run(session, NextOp(random, model, session, ref fresh)));
                done[session]++;
                continue;
            }
            if (session == LongSession && !replayedSinceBegin[session])
            {
                Add(new Replay());
                continue;
            }
            if (session == LongSession && begun < targetTransactions / 2 && open.Count > 1)
                continue;
            Add(random.Next(8) == 0 ? new Rollback(session) : new Commit(session));
        }
        return new History(steps);
    }

    /// <summary>
    /// Smaller valid histories: without one whole transaction, without one replay cycle, without one change — each
    /// re-validated, invalid steps dropped (a change to a row whose insert went away goes too).
    /// </summary>
    public static IEnumerable<History> Shrink(History history)
    {
        var seen = new HashSet<History> { history };
        foreach (var candidate in Candidates(history.Steps))
        {
            var valid = HistoryModel.Normalize(candidate);
            if (valid.Steps.Count < history.Steps.Count && seen.Add(valid))
                yield return valid;
        }
    }

    private static IEnumerable<List<Step>> Candidates(IReadOnlyList<Step> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not Begin begin)
                continue;
            var end = i + 1;
            while (end < steps.Count && !(steps[end] is Commit c && c.Session == begin.Session || steps[end] is Rollback r && r.Session == begin.Session))
                end++;
            yield return [.. steps.Where((s, k) => k < i || k > end || StepSession(s) != begin.Session)];
        }
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is Replay or Run)
                yield return [.. steps.Where((_, k) => k != i)];
        }
    }

    private static int StepSession(Step step) => step switch
    {
        Begin b => b.Session,
        Run r => r.Session,
        Commit c => c.Session,
        Rollback r => r.Session,
        _ => -1,
    };

    private static Op NextOp(Random random, HistoryModel model, int session, ref int fresh)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var op = Candidate(random, model, session, ref fresh);
            if (op is not null)
                return op;
        }
        return new InsertPair(PairK1[0], fresh++, null, null);
    }

    private static Op? Candidate(Random random, HistoryModel model, int s, ref int fresh)
    {
        var items = model.ItemKeys(s);
        var pairs = model.PairKeys(s);
        var lines = model.LineKeys(s);
        T Pick<T>(IReadOnlyList<T> keys) => keys[random.Next(keys.Count)];
        var kind = random.Next(13);
        if (kind is 0 or 2 or 3 or 4 or 5 && !model.MayWriteItemCodes(s))
            return null;
        switch (kind)
        {
            case 0:
                return new InsertItem(fresh, Code("c", fresh++), Text(random));
            case 1 when items.Count > 0:
                return new UpdateItem(Pick(items), Text(random));
            case 2 when items.Count > 0:
                return new DeleteItem(Pick(items));
            case 3 when items.Count > 0:
                return new ChangeItemId(Pick(items), fresh++);
            case 4 when items.Count > 1:
                var a = Pick(items);
                var b = Pick(items.Where(k => k != a).ToList());
                return new SwapItemCodes(a, model.ItemCode(s, a), b, model.ItemCode(s, b), Code("t", fresh++));
            case 5 when items.Count > 0:
                var id = Pick(items);
                return new ReinsertItem(id, Code("r", fresh++), Text(random));
            case 6:
                return new InsertPair(PairK1[random.Next(PairK1.Length)], fresh++, Hex(random), Text(random));
            case 7 when pairs.Count > 0:
                var (k1, k2) = Pick(pairs);
                return new UpdatePair(k1, k2, Hex(random), Text(random));
            case 8 when pairs.Count > 0:
                var gone = Pick(pairs);
                return new DeletePair(gone.K1, gone.K2);
            case 9 when pairs.Count > 0:
                var moved = Pick(pairs);
                return new ChangePairKey(moved.K1, moved.K2, fresh++);
            case 10:
                return new InsertLine(fresh++, items.Count > 0 ? Pick(items) : 0, Text(random));
            case 11 when lines.Count > 0:
                return new UpdateLine(Pick(lines), items.Count > 0 ? Pick(items) : 0, Text(random));
            case 12 when lines.Count > 0:
                return new DeleteLine(Pick(lines));
            default:
                return null;
        }
    }

    private static string Code(string prefix, int n) => prefix + n.ToString(CultureInfo.InvariantCulture);

    private static string? Text(Random random) => random.Next(4) == 0 ? null : Texts[random.Next(Texts.Length)];

    private static string? Hex(Random random)
    {
        if (random.Next(5) == 0)
            return null;
        var bytes = new byte[random.Next(0, 24)];
        random.NextBytes(bytes);
        if (bytes.Length > 1)
            bytes[1] = 0;
        return Convert.ToHexString(bytes);
    }
}
