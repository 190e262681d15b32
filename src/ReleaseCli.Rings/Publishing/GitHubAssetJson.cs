namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A release asset as GitHub's REST API lists it, with the <c>digest</c> ("sha256:…") that newer API versions add
/// and Octokit's own model does not carry; read through Octokit's connection and serializer.
/// </summary>
public sealed class GitHubAssetJson
{
    public long Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public long Size { get; set; }

    public string? Digest { get; set; }
}
