using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Credential findings known to be harmless (a test key, a documented sample), one per line:
/// <c>path-glob[:line] # reason</c>. The glob is over the file's path from the repository's root, '/' separated:
/// <c>*</c> within a folder name, <c>**</c> across folders, <c>?</c> one character. The reason is required: it is
/// what the SARIF log shows as the suppression's justification. Blank lines and lines starting with # are skipped.
/// </summary>
public sealed class CredentialAllowlist
{
    private readonly List<(CredentialAllowlistEntry Entry, Regex Pattern)> _entries;

    private CredentialAllowlist(List<(CredentialAllowlistEntry, Regex)> entries) => _entries = entries;

    public static CredentialAllowlist Empty { get; } = new([]);

    public IReadOnlyList<CredentialAllowlistEntry> Entries => [.. _entries.Select(e => e.Entry)];

    /// <summary>Reads the allowlist; every malformed line is reported at once, as <c>file:line: problem</c>.</summary>
    public static CredentialAllowlist Parse(string text, string file, out IReadOnlyList<string> problems)
    {
        var entries = new List<(CredentialAllowlistEntry, Regex)>();
        var errors = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            var reason = hash < 0 ? string.Empty : line[(hash + 2)..].Trim();
            var target = (hash < 0 ? line : line[..hash]).Trim();
            if (reason.Length == 0)
            {
                errors.Add($"{file}:{i + 1}: '{target}' has no reason; write it as `{target} # why this is not a secret`");
                continue;
            }

            int? lineNumber = null;
            var colon = target.LastIndexOf(':');
            if (colon > 0 && int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                if (n < 1)
                {
                    errors.Add($"{file}:{i + 1}: line numbers start at 1");
                    continue;
                }

                lineNumber = n;
                target = target[..colon];
            }

            if (target.Length == 0 || target.StartsWith('/') || target.Contains('\\', StringComparison.Ordinal) || target.Split('/').Contains(".."))
            {
                errors.Add($"{file}:{i + 1}: '{target}' is not a path glob relative to the repository's root ('/' separated, no '..')");
                continue;
            }

            entries.Add((new CredentialAllowlistEntry(target, lineNumber, reason, i + 1), GlobToRegex(target)));
        }

        problems = errors;
        return new CredentialAllowlist(entries);
    }

    /// <summary>The entry that covers a finding at <paramref name="file"/>:<paramref name="line"/>, if any.</summary>
    public CredentialAllowlistEntry? Covering(string file, int line) =>
        _entries.FirstOrDefault(e => (e.Entry.Line is null || e.Entry.Line == line) && e.Pattern.IsMatch(file)).Entry;

    private static Regex GlobToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches any number of folders, also none; a trailing "**" anything below.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
