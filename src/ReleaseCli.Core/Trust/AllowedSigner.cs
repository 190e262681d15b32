namespace ReleaseCli.Core.Trust;

/// <summary>
/// One line of an allowed_signers file: who (principal patterns) may sign with which key, for which
/// namespaces (null: any) and between which times (null: unbounded).
/// </summary>
public sealed record AllowedSigner(
    int Line,
    IReadOnlyList<string> Principals,
    SshPublicKey Key,
    IReadOnlyList<string>? Namespaces,
    DateTimeOffset? ValidAfter,
    DateTimeOffset? ValidBefore)
{
    /// <summary>
    /// Whether <paramref name="principal"/> matches the principal patterns as OpenSSH matches them: comma-separated
    /// patterns with <c>*</c> and <c>?</c>, a <c>!</c> pattern excludes, and case counts.
    /// </summary>
    public bool Matches(string principal) => MatchesPatternList(Principals, principal);

    /// <summary>OpenSSH's pattern lists: a value matches when a pattern matches it and no <c>!</c> pattern does.</summary>
    internal static bool MatchesPatternList(IEnumerable<string> patterns, string value)
    {
        var matched = false;
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith('!'))
            {
                if (Wildcard(pattern.AsSpan(1), value))
                {
                    return false;
                }
            }
            else if (Wildcard(pattern, value))
            {
                matched = true;
            }
        }

        return matched;
    }

    private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative matcher with one backtrack point for the last '*', which is enough for glob patterns.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
