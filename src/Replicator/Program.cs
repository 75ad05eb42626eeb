namespace Repl;

/// <summary>Entry point of the <c>repl</c> command.</summary>
internal static class Program
{
    private static int Main() => 0;
}
