using System.Globalization;
using System.Text;

namespace Repl.IntegrationTests.Properties;

/// <summary>One change a transaction makes on the master; a record so histories compare and print as data.</summary>
internal abstract record Op
{
    /// <summary>The statements this change runs, as SQL with @p0.. parameters and their values.</summary>
    public abstract IReadOnlyList<(string Sql, object?[] Values)> Statements { get; }

    /// <summary>The change as C# that constructs it, for pasting a shrunk history into <see cref="Regressions"/>.</summary>
    public abstract string ToCSharp();

    /// <summary>The statements with their values inlined, for failure messages.</summary>
    public string ToSql() => string.Join(" ", Statements.Select(s => Inline(s.Sql, s.Values) + ";"));

    /// <summary>A C# or SQL-ish literal of a string (null stays null).</summary>
    protected static string Cs(string? value) => value is null
        ? "null"
        : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    /// <summary>Hex text to bytes (null stays null).</summary>
    protected static byte[]? Bytes(string? hex) => hex is null ? null : Convert.FromHexString(hex);

    private static string Inline(string sql, object?[] values)
    {
        // Replace the highest-numbered parameters first so @p1 does not eat the front of @p10.
        for (var i = values.Length - 1; i >= 0; i--)
            sql = sql.Replace("@p" + i.ToString(CultureInfo.InvariantCulture), SqlLiteral(values[i]), StringComparison.Ordinal);
        return sql;
    }

    private static string SqlLiteral(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        byte[] b => "X'" + Convert.ToHexString(b) + "'",
        int n => n.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };
}

/// <summary>INSERT INTO items.</summary>
internal sealed record InsertItem(int Id, string Code, string? Note) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("INSERT INTO items (id, code, note) VALUES (@p0, @p1, @p2)", [Id, Code, Note])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new InsertItem({Id}, {Cs(Code)}, {Cs(Note)})");
}

/// <summary>UPDATE items SET note (NULL↔value).</summary>
internal sealed record UpdateItem(int Id, string? Note) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("UPDATE items SET note = @p1 WHERE id = @p0", [Id, Note])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new UpdateItem({Id}, {Cs(Note)})");
}

/// <summary>DELETE FROM items.</summary>
internal sealed record DeleteItem(int Id) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements => [("DELETE FROM items WHERE id = @p0", [Id])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new DeleteItem({Id})");
}

/// <summary>A primary-key change of an items row.</summary>
internal sealed record ChangeItemId(int From, int To) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements => [("UPDATE items SET id = @p1 WHERE id = @p0", [From, To])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new ChangeItemId({From}, {To})");
}

/// <summary>Two items rows swap their UNIQUE codes through a temporary value, in one transaction.</summary>
internal sealed record SwapItemCodes(int A, string CodeA, int B, string CodeB, string Temp) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
    [
        ("UPDATE items SET code = @p1 WHERE id = @p0", [A, Temp]),
        ("UPDATE items SET code = @p1 WHERE id = @p0", [B, CodeA]),
        ("UPDATE items SET code = @p1 WHERE id = @p0", [A, CodeB]),
    ];

    public override string ToCSharp() =>
        string.Create(CultureInfo.InvariantCulture, $"new SwapItemCodes({A}, {Cs(CodeA)}, {B}, {Cs(CodeB)}, {Cs(Temp)})");
}

/// <summary>Delete and re-insert of one items key with a different UNIQUE code.</summary>
internal sealed record ReinsertItem(int Id, string Code, string? Note) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
    [
        ("DELETE FROM items WHERE id = @p0", [Id]),
        ("INSERT INTO items (id, code, note) VALUES (@p0, @p1, @p2)", [Id, Code, Note]),
    ];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new ReinsertItem({Id}, {Cs(Code)}, {Cs(Note)})");
}

/// <summary>INSERT INTO pairs (composite varchar+int key, binary and Unicode values).</summary>
internal sealed record InsertPair(string K1, int K2, string? DataHex, string? Label) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("INSERT INTO pairs (k1, k2, data, label) VALUES (@p0, @p1, @p2, @p3)", [K1, K2, Bytes(DataHex), Label])];

    public override string ToCSharp() =>
        string.Create(CultureInfo.InvariantCulture, $"new InsertPair({Cs(K1)}, {K2}, {Cs(DataHex)}, {Cs(Label)})");
}

/// <summary>UPDATE pairs SET data, label (NULL↔value).</summary>
internal sealed record UpdatePair(string K1, int K2, string? DataHex, string? Label) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("UPDATE pairs SET data = @p2, label = @p3 WHERE k1 = @p0 AND k2 = @p1", [K1, K2, Bytes(DataHex), Label])];

    public override string ToCSharp() =>
        string.Create(CultureInfo.InvariantCulture, $"new UpdatePair({Cs(K1)}, {K2}, {Cs(DataHex)}, {Cs(Label)})");
}

/// <summary>DELETE FROM pairs.</summary>
internal sealed record DeletePair(string K1, int K2) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements => [("DELETE FROM pairs WHERE k1 = @p0 AND k2 = @p1", [K1, K2])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new DeletePair({Cs(K1)}, {K2})");
}

/// <summary>A change of one column of the composite primary key of pairs.</summary>
internal sealed record ChangePairKey(string K1, int K2, int NewK2) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("UPDATE pairs SET k2 = @p2 WHERE k1 = @p0 AND k2 = @p1", [K1, K2, NewK2])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new ChangePairKey({Cs(K1)}, {K2}, {NewK2})");
}

/// <summary>INSERT INTO details (the child table of items).</summary>
internal sealed record InsertLine(int Id, int ItemId, string? Memo) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("INSERT INTO details (id, item_id, memo) VALUES (@p0, @p1, @p2)", [Id, ItemId, Memo])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new InsertLine({Id}, {ItemId}, {Cs(Memo)})");
}

/// <summary>UPDATE details SET item_id, memo.</summary>
internal sealed record UpdateLine(int Id, int ItemId, string? Memo) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements =>
        [("UPDATE details SET item_id = @p1, memo = @p2 WHERE id = @p0", [Id, ItemId, Memo])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new UpdateLine({Id}, {ItemId}, {Cs(Memo)})");
}

/// <summary>DELETE FROM details.</summary>
internal sealed record DeleteLine(int Id) : Op
{
    public override IReadOnlyList<(string Sql, object?[] Values)> Statements => [("DELETE FROM details WHERE id = @p0", [Id])];

    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new DeleteLine({Id})");
}

/// <summary>One step of a history: a writer session's begin, change, commit or rollback, or a replay cycle.</summary>
internal abstract record Step
{
    /// <summary>The step as C# that constructs it.</summary>
    public abstract string ToCSharp();

    /// <summary>The step as one readable line.</summary>
    public abstract string ToText();
}

/// <summary>Writer session <paramref name="Session"/> begins a transaction.</summary>
internal sealed record Begin(int Session) : Step
{
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new Begin({Session})");

    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"s{Session}: BEGIN;");
}

/// <summary>Writer session <paramref name="Session"/> makes a change in its open transaction.</summary>
internal sealed record Run(int Session, Op Op) : Step
{
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new Run({Session}, {Op.ToCSharp()})");

    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"s{Session}:   {Op.ToSql()}");
}

/// <summary>Writer session <paramref name="Session"/> commits.</summary>
internal sealed record Commit(int Session) : Step
{
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new Commit({Session})");

    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"s{Session}: COMMIT;");
}

/// <summary>Writer session <paramref name="Session"/> rolls back.</summary>
internal sealed record Rollback(int Session) : Step
{
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture, $"new Rollback({Session})");

    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"s{Session}: ROLLBACK;");
}

/// <summary>One <c>repl replay --once</c> cycle of every node, then every slave must equal the master's committed state.</summary>
internal sealed record Replay : Step
{
    public override string ToCSharp() => "new Replay()";

    public override string ToText() => "-- repl replay --once (every node), then compare";
}

/// <summary>
/// A transaction history over items/pairs/details, starting from <see cref="HistoryModel.InitialRows"/> loaded by
/// <c>repl init</c>; after the last step a final replay cycle runs and every slave must equal the master.
/// </summary>
internal sealed record History(IReadOnlyList<Step> Steps)
{
    /// <summary>Number of transactions (BEGIN steps).</summary>
    public int Transactions => Steps.Count(s => s is Begin);

    /// <summary>Number of changes (Run steps).</summary>
    public int Changes => Steps.Count(s => s is Run);

    /// <summary>Value equality over the steps (a record compares the list by reference).</summary>
    public bool Equals(History? other) => other is not null && Steps.SequenceEqual(other.Steps);

    /// <inheritdoc/>
    public override int GetHashCode() => Steps.Aggregate(17, (h, s) => HashCode.Combine(h, s));

    /// <summary>The history as SQL-like text, then as C# to paste into <see cref="Regressions"/>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"History: {Transactions} transactions, {Changes} changes\n");
        foreach (var step in Steps)
            text.Append(step.ToText()).Append('\n');
        text.Append("-- as C# for Regressions.cs:\n").Append(ToCSharp()).Append('\n');
        return text.ToString();
    }

    /// <summary>The history as a C# expression.</summary>
    public string ToCSharp() => "new History([\n" + string.Concat(Steps.Select(s => "    " + s.ToCSharp() + ",\n")) + "])";
}
