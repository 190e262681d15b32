using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.Publishing;

/// <summary>How a <c>git-tags</c> step puts its tags on the remotes.</summary>
public enum GitTagVia
{
    /// <summary>The git CLI: <c>git ls-remote</c> and <c>git push</c> to a local, ssh or https remote.</summary>
    Git,

    /// <summary>GitHub's REST API through Octokit: the remote is a GitHub repository, owner/name.</summary>
    [JsonStringEnumMemberName("github")]
    GitHub,
}
