using System.CommandLine;
using System.CommandLine.Invocation;
using Repl.Configuration;
using Repl.Connections;
using Repl.Schema;

namespace Repl.Cli;

/// <summary>
/// The <c>repl</c> command line: the root with its global options, one command per registered <see cref="IVerb"/>, and
/// the one place where failures become a message and an exit code.
/// </summary>
internal sealed class ReplCommandLine
{
    /// <summary>Every verb of repl; adding a verb is adding its class here.</summary>
    public static IReadOnlyList<IVerb> Verbs { get; } =
    [
        new InitCommand(),
        new ReplayCommand(),
        new UninstallCommand(),
        new SnapshotCommand(),
        new VerifyCommand(),
        new ConfigShowCommand(),
        new StatusCommand(),
        new PurgeCommand(),
        new NodeAddCommand(),
        new NodeRemoveCommand(),
        new ResyncCommand(),
    ];

    /// <summary>Descriptions of the group words that lead multi-word verbs (<c>repl config show</c>).</summary>
    public static IReadOnlyDictionary<string, string> Groups { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["config"] = "Check and show the configuration.",
        ["node"] = "Add a node (slave) to the master, or remove one.",
    };

    private readonly IConsoleOutput _output;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly IDatabaseConnector _connector;
    private readonly RootCommand _root;

    private readonly Option<string> _config = new("--config")
    {
        Recursive = true,
        HelpName = "PATH",
        Description = "The config file; REPL_ environment variables override its values, e.g. REPL_nodes__pg1__connectionString.",
        DefaultValueFactory = _ => ConfigLoader.DefaultPath,
    };

    private readonly Option<bool> _verbose = new("--verbose")
    {
        Recursive = true,
        Description = "On an unexpected failure, print the full details (exception, stack trace) too.",
    };

    /// <summary>Builds the command line.</summary>
    /// <param name="output">Where everything is written.</param>
    /// <param name="environment">Environment variables: config overrides and the Oracle driver path.</param>
    /// <param name="verbs">The verbs; <see cref="Verbs"/> unless a test brings its own.</param>
    /// <param name="connector">Opens database connections; the real drivers unless a test brings its own.</param>
    public ReplCommandLine(
        IConsoleOutput output,
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyList<IVerb>? verbs = null,
        IDatabaseConnector? connector = null)
    {
        _output = output;
        _environment = environment;
        _connector = connector ?? new DatabaseConnector(new OracleDriver(environment));
        _root = new RootCommand(
            "repl replicates tables from one master database (PostgreSQL, MariaDB, Oracle) to slave databases of other vendors " +
            "(PostgreSQL, MariaDB/MySQL, SQLite, Oracle): triggers log the keys of changed rows, a replay service per slave applies the " +
            "master's current rows. Exit codes: 0 success, 1 a check failed, 2 error (the message names the config key, table or column). " +
            "Configuration, operations and privileges: README.md.")
        {
            HelpName = "repl",
        };
        _root.Add(_config);
        _root.Add(_verbose);
        foreach (var verb in verbs ?? Verbs)
            Parent(verb.Words).Add(Build(verb));
    }

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public async Task<int> InvokeAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parseResult = _root.Parse(args);
        await using var output = new LineWriter(_output.WriteLine);
        await using var error = new LineWriter(_output.WriteError);
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        var exitCode = await parseResult.InvokeAsync(invocation, cancellationToken);
        // The parser's own code for a bad command line is 1, which repl reserves for a failed check.
        return parseResult.Action is ParseErrorAction ? ExitCodes.Error : exitCode;
    }

    private Command Parent(IReadOnlyList<string> words)
    {
        Command parent = _root;
        foreach (var word in words.Take(words.Count - 1))
        {
            var group = parent.Subcommands.FirstOrDefault(c => c.Name == word);
            if (group is null)
            {
                group = new Command(word, Groups[word]);
                parent.Add(group);
            }
            parent = group;
        }
        return parent;
    }

    private Command Build(IVerb verb)
    {
        var command = new Command(verb.Words[^1], verb.Description);
        foreach (var symbol in verb.Symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Add(option);
                    break;
                case Argument argument:
                    command.Add(argument);
                    break;
                default:
                    throw new ArgumentException($"verb {string.Join(' ', verb.Words)} declares {symbol.Name}, which is neither an option nor an argument", nameof(verb));
            }
        }
        var dryRun = verb.ChangesDatabases
            ? new Option<bool>("--dry-run") { Description = "Print the SQL it would run on each database, and change nothing." }
            : null;
        if (dryRun is not null)
            command.Add(dryRun);
        command.SetAction((parseResult, cancellationToken) => RunAsync(verb, parseResult, dryRun, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(IVerb verb, ParseResult parseResult, Option<bool>? dryRun, CancellationToken cancellationToken)
    {
        var context = new VerbContext(
            parseResult,
            _output,
            parseResult.GetValue(_config) ?? ConfigLoader.DefaultPath,
            dryRun is not null && parseResult.GetValue(dryRun),
            _environment,
            _connector);
        var verbose = parseResult.GetValue(_verbose);
        try
        {
            return await verb.RunAsync(context, cancellationToken);
        }
        catch (ConfigException e)
        {
            _output.WriteError("error: " + e.Message);
        }
        catch (Exception e) when (e is ReplException or SchemaException or Replay.NodeLockedException)
        {
            _output.WriteError("error: " + ConnectionStrings.Scrub(e.Message, context.Secrets));
            if (verbose && e.InnerException is not null)
                _output.WriteError(ConnectionStrings.Scrub(e.InnerException.ToString(), context.Secrets));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.WriteError("error: cancelled; nothing more was done");
        }
#pragma warning disable CA1031 // The last line of defence: whatever fails becomes one redacted message and exit code 2.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _output.WriteError("error: unexpected failure: " + ConnectionStrings.Scrub(e.Message, context.Secrets));
            _output.WriteError(verbose ? ConnectionStrings.Scrub(e.ToString(), context.Secrets) : "run with --verbose for details");
        }
        return ExitCodes.Error;
    }
}
