using System.Diagnostics;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// The asset check grows with the asset count, not with its square: ten times the assets cost about ten times
/// as much. A check that looked each BAR asset up by scanning the sealed ones would cost a hundred times as much.
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class AssetCheckerScaleTests
{
    private static ReleaseExpectations Release(int count)
    {
        var build = new BarBuild
        {
            Id = 7,
            Commit = "0123456789abcdef0123456789abcdef01234567",
            GitHubRepository = "https://github.com/contoso/app",
            Assets = [.. Enumerable.Range(0, count).Select(i => new BarAsset(i, $"assets/Contoso.File{i:D6}.bin", "1.0.0", false, []))],
        };
        var contract = new ReleaseContract
        {
            ReleaseId = "contoso-1.0.0",
            Product = "Contoso",
            Version = "1.0.0",
            RootBuildId = 7,
            Builds = [new ContractBuild(7, build.GitHubRepository, build.Commit, null, IsRoot: true)],
            // Sealed in the reverse order: a scan would find most matches far from its start.
            Assets = [.. Enumerable.Range(0, count).Reverse().Select(i => new ContractAsset($"ASSETS/Contoso.File{i:D6}.bin", "1.0.0", true, false, 7, 10, new string('0', 128), $"shipping/assets/Contoso.File{i:D6}.bin"))],
        };
        // No drop folder: every file is reported missing, and the BAR comparison finds every asset.
        return new ReleaseExpectations(contract, [build], Stable: true, Path.Combine(Path.GetTempPath(), $"no-drop-{Guid.NewGuid():N}"));
    }

    private static TimeSpan Best(ReleaseExpectations release)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var findings = AssetChecker.Check(release).ToList();
            watch.Stop();
            Assert.Equal(release.Contract.Assets.Count, findings.Count);
            Assert.All(findings, f => Assert.Equal(RuleIds.AssetMissing, f.RuleId));
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }

        return best;
    }

    [Fact]
    public void Ten_times_the_assets_cost_about_ten_times_as_much_not_a_hundred()
    {
        var small = Release(3_000);
        var large = Release(30_000);
        Best(small);

        var ratio = Best(large) / Best(small);

        Assert.True(ratio < 35, $"10x the assets took {ratio:0.0}x as long (linear: about 10x; a scan per asset: about 100x)");
    }
}
