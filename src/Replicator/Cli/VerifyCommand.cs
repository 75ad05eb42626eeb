using System.CommandLine;
using Repl.Verify;

namespace Repl.Cli;

/// <summary>
/// <c>repl verify [--node N …] [--table T …] [--json] [--max-keys K]</c>: compare master and nodes table by table,
/// exit 0 when equal everywhere, 1 when anything differs.
/// </summary>
internal sealed class VerifyCommand : IVerb
{
    private readonly Option<string[]> _nodes = new("--node")
    {
        HelpName = "NAME",
        Description = "Only this node (slave), as named under \"nodes\" in the config; repeat for several. Every node when left out.",
    };

    private readonly Option<string[]> _tables = new("--table")
    {
        HelpName = "TABLE",
        Description = "Only this table, as named in the config (case-insensitive; schema.table accepted); repeat for several. Every configured table when left out.",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the report as JSON (a stable shape for scripts) instead of a table.",
    };

    private readonly Option<int> _maxKeys = new("--max-keys")
    {
        HelpName = "K",
        Description = "List at most K differing keys per table and node (all of them are counted). Default 20.",
        DefaultValueFactory = _ => 20,
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Words { get; } = ["verify"];

    /// <inheritdoc />
    public string Description =>
        "Compare each replicated table (log and snapshot mode) on the master with its copy on each node: row count and an " +
        "order-independent checksum of canonical values (comparable across vendors) per side, and where they differ the keys " +
        "missing on the node, extra on the node or with different values. The master is read in one snapshot, each node in one " +
        "transaction; a node that lags shows differences too, so the number of transactions it had pending is printed with them. " +
        "Exit 0 when everything is equal, 1 when anything differs, 2 on bad input or an unreachable database.";

    /// <inheritdoc />
    public bool ChangesDatabases => false;

    /// <inheritdoc />
    public IReadOnlyList<Symbol> Symbols => [_nodes, _tables, _json, _maxKeys];

    /// <inheritdoc />
    public async Task<int> RunAsync(VerbContext context, CancellationToken cancellationToken)
    {
        var maxKeys = context.ParseResult.GetValue(_maxKeys);
        if (maxKeys < 0)
        {
            context.Output.WriteError("error: --max-keys must be 0 or more.");
            return ExitCodes.Error;
        }
        var config = context.LoadConfig();
        var report = await new VerifyJob(config, context.Connector).RunAsync(
            context.ParseResult.GetValue(_nodes) ?? [], context.ParseResult.GetValue(_tables) ?? [], maxKeys, cancellationToken);
        if (context.ParseResult.GetValue(_json))
            context.Output.WriteLine(report.ToJson());
        else
            report.Write(context.Output);
        return report.IsEqual ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
