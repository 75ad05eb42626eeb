namespace Repl;

/// <summary>
/// An expected failure the operator can act on (unreachable database, missing driver, ...): the CLI prints its message
/// alone and exits 2. The message names the database, table or config key and says what to do; it never holds a password.
/// </summary>
internal sealed class ReplException : Exception
{
    /// <summary>Creates the exception with a message for the operator.</summary>
    public ReplException(string message) : base(message) { }

    /// <summary>Creates the exception with a message for the operator and the underlying cause (shown with --verbose).</summary>
    public ReplException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Parameterless constructor required by convention.</summary>
    public ReplException() { }
}
