using System.Data.Common;
using Repl.Cli;

namespace Repl.Engine;

/// <summary>The SQL one database would run, in order, with a one-line reason per group of statements.</summary>
internal sealed record DatabasePlan(string Database, IReadOnlyList<(string Why, IReadOnlyList<string> Statements)> Steps)
{
    /// <summary>Whether anything would run.</summary>
    public bool IsEmpty => Steps.All(s => s.Statements.Count == 0);

    /// <summary>Prints the statements under the database's name, as <c>--dry-run</c> shows them; nothing for an empty plan.</summary>
    public void Print(IConsoleOutput output)
    {
        if (IsEmpty)
            return;
        output.WriteLine($"-- {Database}");
        foreach (var (why, statements) in Steps.Where(s => s.Statements.Count > 0))
        {
            output.WriteLine($"-- {why}");
            foreach (var statement in statements)
                output.WriteLine(statement + "\n;");
        }
    }

    /// <summary>
    /// Runs the statements one by one, writing <c>database: why: <paramref name="done"/></c> per step; a failing statement
    /// stops the plan with a message naming the database, the step and the statement.
    /// </summary>
    /// <param name="connection">The open connection to the database.</param>
    /// <param name="output">Where the progress lines go.</param>
    /// <param name="doing">The action in a failure message, e.g. <c>creating</c>.</param>
    /// <param name="done">The action in a progress line, e.g. <c>created</c>.</param>
    /// <param name="cancellationToken">Stops before the next statement.</param>
    public async Task ExecuteAsync(DbConnection connection, IConsoleOutput output, string doing, string done, CancellationToken cancellationToken)
    {
        foreach (var (why, statements) in Steps.Where(s => s.Statements.Count > 0))
        {
            foreach (var statement in statements)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statement;
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (DbException e)
                {
                    throw new ReplException($"{Database}: {doing} the {why} failed: {e.Message}\nThe statement was:\n{statement}", e);
                }
            }
            output.WriteLine($"{Database}: {why}: {done}");
        }
    }
}
