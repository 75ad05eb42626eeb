using System.Text;
using System.Text.RegularExpressions;

namespace Repl.Configuration;

/// <summary>Keeps passwords out of everything repl prints or logs, whatever the vendor's connection string syntax.</summary>
internal static partial class ConnectionStrings
{
    private const string Mask = "***";

    /// <summary>
    /// The connection string with the value of every password-like key (Password, Pwd, PSW, SSL Password, Proxy Password, ...)
    /// and the password of a <c>scheme://user:password@host</c> URI replaced by <c>***</c>; everything else is kept as written.
    /// </summary>
    public static string Redact(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
            return "";
        var text = UriPassword().Replace(connectionString, Mask);
        var spans = SecretSpans(text).ToList();
        if (spans.Count == 0)
            return text;
        var result = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, end, _) in spans)
        {
            result.Append(text, position, start - position).Append(Mask);
            position = end;
        }
        return result.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>The password values in a connection string (unquoted), to scrub them from driver messages that might echo them.</summary>
    public static IReadOnlyList<string> Secrets(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
            return [];
        var uri = UriPassword().Matches(connectionString).Select(m => m.Value);
        return [.. uri.Concat(SecretSpans(connectionString).Select(s => s.Value)).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The text with every occurrence of the given secrets replaced by <c>***</c>, longest first.</summary>
    public static string Scrub(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }

    /// <summary>
    /// Spans (start, end) of password values, quotes included, with the unquoted value. Follows the ADO.NET syntax every
    /// driver here uses: <c>key=value</c> pairs split by ';', <c>==</c> escapes '=' in a key, values may be quoted with ' or "
    /// (a doubled quote escapes itself) and then contain ';' and '='. A malformed string must not leak either: an unterminated
    /// quote runs to the end, and bare words right after an unquoted password are taken as the rest of a password that held ';'.
    /// </summary>
    private static IEnumerable<(int Start, int End, string Value)> SecretSpans(string text)
    {
        var i = 0;
        var open = false;
        var openStart = 0;
        var openEnd = 0;
        var openValue = "";
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ';'))
                i++;
            if (i >= text.Length)
                break;

            var key = new StringBuilder();
            var segmentStart = i;
            var hasEquals = false;
            while (i < text.Length && text[i] != ';')
            {
                if (text[i] == '=')
                {
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        key.Append('=');
                        i += 2;
                        continue;
                    }
                    hasEquals = true;
                    i++;
                    break;
                }
                key.Append(text[i]);
                i++;
            }

            if (!hasEquals)
            {
                if (open)
                {
                    openEnd = TrimmedEnd(text, segmentStart, i);
                    openValue = text[openStart..openEnd];
                }
                continue;
            }

            if (open)
                yield return (openStart, openEnd, openValue);
            open = false;

            while (i < text.Length && char.IsWhiteSpace(text[i]) && text[i] != ';')
                i++;
            var valueStart = i;
            string value;
            var quoted = i < text.Length && (text[i] == '"' || text[i] == '\'');
            if (quoted)
            {
                var quote = text[i++];
                var unquoted = new StringBuilder();
                while (i < text.Length)
                {
                    if (text[i] == quote)
                    {
                        if (i + 1 < text.Length && text[i + 1] == quote)
                        {
                            unquoted.Append(quote);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    unquoted.Append(text[i++]);
                }
                value = unquoted.ToString();
                // Anything between the closing quote and ';' is malformed; mask it with the value rather than guess.
                while (i < text.Length && text[i] != ';')
                    i++;
            }
            else
            {
                while (i < text.Length && text[i] != ';')
                    i++;
                value = text[valueStart..i].TrimEnd();
            }

            if (!IsPasswordKey(key.ToString()))
                continue;
            var valueEnd = TrimmedEnd(text, valueStart, i);
            if (quoted)
            {
                yield return (valueStart, valueEnd, value);
            }
            else
            {
                // Held back until the next pair: bare words that follow may still belong to this value.
                open = true;
                openStart = valueStart;
                openEnd = valueEnd;
                openValue = text[valueStart..valueEnd];
            }
        }
        if (open)
            yield return (openStart, openEnd, openValue);
    }

    private static int TrimmedEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        return end;
    }

    private static bool IsPasswordKey(string key)
    {
        var normalized = new string([.. key.Where(char.IsLetterOrDigit)]).ToUpperInvariant();
        return normalized is "PWD" or "PSW" || normalized.EndsWith("PASSWORD", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<=[A-Za-z][A-Za-z0-9+.\-]*://[^/:@\s;]*:)[^@/\s;]*(?=@)", RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();
}
