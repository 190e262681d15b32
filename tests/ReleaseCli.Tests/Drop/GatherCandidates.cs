using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Tests.Drop;

/// <summary>Candidates of one build for gathering tests.</summary>
internal static class GatherCandidates
{
    public static Candidate Of(params BarAsset[] assets)
    {
        var build = new BarBuild
        {
            Id = 1,
            Commit = "0123456789abcdef0123456789abcdef01234567",
            GitHubRepository = "https://github.com/contoso/app",
            Assets = assets,
        };
        return new Candidate(build, [build]);
    }
}
