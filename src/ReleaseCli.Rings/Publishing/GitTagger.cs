using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.Publishing;

/// <summary>Who an annotated tag names as its tagger, from "Name &lt;email&gt;".</summary>
public sealed partial record GitTagger(string Name, string Email)
{
    public static GitTagger? Parse(string? text)
    {
        var match = text is null ? null : Shape().Match(text);
        return match is { Success: true } ? new GitTagger(match.Groups["name"].Value.Trim(), match.Groups["email"].Value) : null;
    }

    [GeneratedRegex(@"^(?<name>[^<>\n]+)<(?<email>[^<>\s]+@[^<>\s]+)>$")]
    private static partial Regex Shape();
}
