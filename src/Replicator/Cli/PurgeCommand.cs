using System.CommandLine;
using System.Globalization;
using Repl.Operations;

namespace Repl.Cli;

/// <summary><c>repl purge [--batch N]</c>: delete log rows every node has processed, then processed rows no log refers to.</summary>
internal sealed class PurgeCommand : IVerb
{
    private readonly Option<int?> _batch = new("--batch")
    {
        HelpName = "N",
        Description = "Rows per batch (each batch is its own short transaction); default purge.batchSize from the config (5000).",
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["purge"];

    /// <inheritdoc />
    public string Description =>
        "Delete the change-log rows of transactions every registered node has processed, then the processed-transaction rows no " +
        "log refers to any more, in batches that never block writers or replays. A node that stopped holds its rows back: remove it " +
        "with repl node remove. Replay services also purge every purge.interval. Safe to run at any time; a second purge at the same " +
        "time does nothing.";

    /// <inheritdoc />
    public bool ChangesDatabases => true;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_batch];

    /// <inheritdoc />
    public async Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        var batch = context.ParseResult.GetValue(_batch) ?? config.Purge.BatchSize;
        if (batch <= 0)
        {
            context.Output.WriteError($"error: --batch {batch.ToString(CultureInfo.InvariantCulture)}: give a positive number of rows, e.g. --batch 5000");
            return ExitCodes.Error;
        }
        var purger = new Purger(config, context.Connector);
        if (context.DryRun)
        {
            var plan = await purger.PlanAsync(batch, cancellationToken);
            if (plan.IsEmpty)
                context.Output.WriteLine("Nothing to purge: the master has no repl registry (repl init never ran on it).");
            plan.Print(context.Output);
            context.Output.WriteLine("-- dry run: nothing was changed.");
            return ExitCodes.Success;
        }

        var result = await purger.RunAsync(batch, cancellationToken);
        switch (result.Outcome)
        {
            case PurgeOutcome.NoRegistry:
                context.Output.WriteLine("Nothing to purge: the master has no repl registry (repl init never ran on it).");
                return ExitCodes.Success;
            case PurgeOutcome.Busy:
                context.Output.WriteLine("Another repl purge is running on this master (it holds the purge lock); it does the work, this one did nothing.");
                return ExitCodes.Success;
        }
        foreach (var (table, rows, batches) in result.Deleted)
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"master: {table}: {rows:N0} row(s) deleted in {batches} batch(es)"));
        foreach (var reason in result.Waited)
            context.Output.WriteLine($"master: {reason}; its remaining rows stay until the next purge.");
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"purge done: {result.LogRows:N0} log row(s) and {result.ProcessedRows:N0} processed row(s) deleted."));
        return ExitCodes.Success;
    }
}
