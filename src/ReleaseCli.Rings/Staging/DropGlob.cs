using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// A glob over drop-relative paths ('/' between folders): <c>*</c> and <c>?</c> stay within one
/// folder name, <c>**</c> spans any number of folders. Matching is ordinal (case-sensitive), as
/// file names in a Linux tarball are.
/// </summary>
public sealed class DropGlob
{
    private readonly Regex _regex;

    public DropGlob(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var followedBySlash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                // "**/" may match no folder at all, so "**/x" also matches "x" at the root.
                regex.Append(followedBySlash ? "(?:.*/)?" : ".*");
                i += followedBySlash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }
}
