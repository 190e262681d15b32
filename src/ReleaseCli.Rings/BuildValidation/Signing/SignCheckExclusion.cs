using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// One line of a SignCheck exclusions file: <c>file patterns;parent files;comment</c>. Patterns use
/// <c>*</c> and <c>?</c> and are separated by commas; an empty parent list matches any parent.
/// </summary>
public sealed record SignCheckExclusion(IReadOnlyList<Regex> FilePatterns, IReadOnlyList<Regex> ParentPatterns, bool DoNotSign, bool DoNotUnpack, bool IsException, int Line, string Text)
{
    public bool Matches(ValidationItem item)
    {
        if (!FilePatterns.Any(p => p.IsMatch(item.Name) || p.IsMatch(item.VirtualPath)))
        {
            return false;
        }

        return ParentPatterns.Count == 0 || item.Parents.Any(parent => ParentPatterns.Any(p => p.IsMatch(parent)));
    }
}
