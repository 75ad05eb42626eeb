namespace Repl.Schema;

/// <summary>A table, column or type that repl cannot handle; the message names it and says what to do.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception with a message for the operator.</summary>
    public SchemaException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public SchemaException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Parameterless constructor required by convention.</summary>
    public SchemaException() { }
}
