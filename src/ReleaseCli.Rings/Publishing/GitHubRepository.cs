using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.Publishing;

/// <summary>A GitHub repository, owner/name, read from "owner/name" or a https://github.com/owner/name address.</summary>
public sealed partial record GitHubRepository(string Owner, string Name)
{
    public static GitHubRepository? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = Shape().Match(text.Trim());
        return match.Success ? new GitHubRepository(match.Groups["owner"].Value, match.Groups["name"].Value) : null;
    }

    public override string ToString() => $"{Owner}/{Name}";

    [GeneratedRegex(@"^(?:https://[^/\s]+/)?(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$")]
    private static partial Regex Shape();
}
