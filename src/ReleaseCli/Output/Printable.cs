using System.Text;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Output;

/// <summary>
/// Text from outside (BAR, Maestro, archive entry names, the ledger) written as one line of output:
/// a line break or an escape sequence in it could forge another line (a check that passed, an
/// Azure Pipelines <c>##vso</c> command) or drive the terminal, and a bidirectional-text control could make it
/// display reversed, so control characters, Unicode's line and paragraph separators and the bidirectional
/// controls are written as escapes (<c>\n</c>, <c>\u001B</c>, <c>\u202E</c>).
/// </summary>
public static class Printable
{
    public static string Escape(string text)
    {
        if (!text.Any(IsBreaking))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when IsBreaking(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return shown.ToString();
    }

    /// <summary>
    /// <see cref="Escape"/> for a message that is several lines on purpose: its line breaks (<c>\n</c>, <c>\r\n</c>)
    /// stay, every other control character is escaped.
    /// </summary>
    public static string EscapeKeepingLines(string text) =>
        string.Join('\n', text.Split('\n').Select(line => Escape(line.EndsWith('\r') ? line[..^1] : line)));

    /// <summary>
    /// A message that is several lines on purpose, to follow a prefix such as <c>error: </c>: the lines
    /// after the first start with white space (two spaces are put before those that do not), so text it
    /// quotes — a name from BAR holding a line break — cannot stand at the start of a line as if it were a
    /// message of its own. Within a line, control characters are escaped.
    /// </summary>
    public static string Continued(string text) =>
        string.Join(Environment.NewLine, EscapeKeepingLines(text).Split('\n').Select((line, i) => i == 0 || line.StartsWith(' ') ? line : "  " + line));

    public static bool IsBreaking(char c) => DisplayText.IsBreaking(c);
}
