namespace Repl.Cli;

/// <summary>Exit codes of every verb except <c>status</c> (DESIGN §3).</summary>
internal static class ExitCodes
{
    /// <summary>The verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The verb ran, and the check it made failed (e.g. <c>verify</c> found differences).</summary>
    public const int CheckFailed = 1;

    /// <summary>The verb could not do its work: bad config or command line, unreachable database, unsupported table.</summary>
    public const int Error = 2;
}

/// <summary>Exit codes of <c>status</c>, as Nagios-compatible monitoring expects them.</summary>
internal static class NagiosExitCodes
{
    /// <summary>Every node is within its limits.</summary>
    public const int Ok = 0;

    /// <summary>A node lags at or beyond the warning limit.</summary>
    public const int Warning = 1;

    /// <summary>A node lags at or beyond the critical limit, or a configured node was never initialised.</summary>
    public const int Critical = 2;

    /// <summary>The state could not be determined: bad config, master unreachable or not initialised.</summary>
    public const int Unknown = 3;
}
