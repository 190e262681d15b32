using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// One shape of credential: a pattern over a line, and, for shapes that are only a credential in context
/// (a bare key, a SAS signature), what else the line must hold. Findings name the rule, never the secret.
/// </summary>
public sealed record CredentialRule(string Id, string Name, string Description, Regex Pattern, Regex? LineMustAlsoMatch = null)
{
    /// <summary>Values that are plainly placeholders, not secrets, are left out by rules that look at a value.</summary>
    public Func<Match, bool> IsPlaceholder { get; init; } = _ => false;

    public bool Matches(string line) =>
        (LineMustAlsoMatch is null || LineMustAlsoMatch.IsMatch(line)) && Pattern.Matches(line).Any(m => !IsPlaceholder(m));
}
