namespace ReleaseCli.Core.Security;

/// <summary>
/// The characters that must not reach a terminal or a log as they are in text from outside or from people: control
/// characters (a line break forges another line, an escape sequence drives the terminal), Unicode's line and paragraph
/// separators, and the bidirectional-text controls, which make a line display in another order than it reads
/// (<c>"approved"</c> shown where <c>"devorppa"</c> is written, a name shown as another's).
/// </summary>
public static class DisplayText
{
    public static bool IsBreaking(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' || IsBidiControl(c);

    /// <summary>
    /// U+061C, U+200E and U+200F (the marks), U+202A–U+202E (embeddings and overrides), U+2066–U+2069 (isolates).
    /// </summary>
    public static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
