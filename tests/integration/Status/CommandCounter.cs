using System.Collections.Concurrent;
using System.Diagnostics;

namespace Repl.IntegrationTests.Status;

/// <summary>
/// Counts the commands the database drivers send to one database while it is open, from their OpenTelemetry activities
/// (Npgsql and MySqlConnector start one per command executed, tagged with the database name). Every test has a database
/// of its own, so tests running at the same time in this process are not mixed in.
/// </summary>
internal sealed class CommandCounter : IDisposable
{
    private static readonly string[] DriverSources = ["Npgsql", "MySqlConnector"];
    private readonly ActivityListener _listener;
    private readonly string _database;
    private readonly ConcurrentQueue<string> _commands = new();

    /// <summary>Starts counting the commands sent to <paramref name="database"/>.</summary>
    public CommandCounter(string database)
    {
        _database = database;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => DriverSources.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>How many commands were sent.</summary>
    public int Count => _commands.Count;

    /// <summary>The commands sent, one line each (activity name and the start of the statement), for assertion messages.</summary>
    public string Describe() => string.Join("\n", _commands);

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    // On stop, not start: the drivers tag an activity after starting it.
    private void Stopped(Activity activity)
    {
        if (!activity.TagObjects.Any(t => t.Value is string value && value == _database))
            return;
        // Connection opens are not commands (Npgsql traces them too); every other driver activity is one round trip.
        if (activity.OperationName.Contains("open", StringComparison.OrdinalIgnoreCase)
            || activity.OperationName.Contains("connect", StringComparison.OrdinalIgnoreCase))
            return;
        var statement = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
        var text = Convert.ToString(statement, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        _commands.Enqueue($"{activity.Source.Name} {activity.OperationName}: {(text.Length > 120 ? text[..120] + "…" : text).ReplaceLineEndings(" ")}");
    }
}
