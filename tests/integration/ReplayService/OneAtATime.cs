namespace Repl.IntegrationTests.ReplayService;

/// <summary>
/// The replay-service tests run concurrent writers, readers and repl processes; on a 2-core machine they run one at a
/// time rather than starve each other (and the kill and wake-up tests of CPU they need to mean anything).
/// </summary>
[CollectionDefinition(Name)]
public sealed class OneAtATime
{
    /// <summary>The collection's name.</summary>
    public const string Name = "replay service";
}
