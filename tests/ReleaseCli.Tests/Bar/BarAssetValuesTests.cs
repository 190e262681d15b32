using ReleaseCli.Core.Bar;
using ReleaseCli.Integrations.Bar;

namespace ReleaseCli.Tests.Bar;

/// <summary>
/// A build's assets repeat a few locations and versions: one read of BAR holds one instance of each, however many
/// assets share it, and the contract gate reads only the assets' names, versions and shipping flags.
/// </summary>
public sealed class BarAssetValuesTests
{
    [Fact]
    public async Task A_local_BAR_read_shares_each_location_and_version_among_the_assets_that_repeat_it()
    {
        using var work = new TestDirectory();
        var bar = new SqliteBuildAssetRegistry(work.Combine("bar.db"), TimeProvider.System);
        var added = await bar.AddBuildAsync(Build(files: 300, packages: 100), CancellationToken.None);

        var build = (await bar.GetBuildAsync(added.Id, CancellationToken.None))!;

        Assert.Equal(400, build.Assets.Count);
        var files = build.Assets.Where(a => !a.IsPackage).ToList();
        var packages = build.Assets.Where(a => a.IsPackage).ToList();
        Assert.Equal(300, files.Count);
        Assert.All(files, a => Assert.Same(files[0].Locations, a.Locations));
        Assert.All(packages.Skip(1), a => Assert.Same(packages[1].Locations, a.Locations));
        Assert.All(build.Assets, a => Assert.Same(build.Assets[0].Version, a.Version));
        Assert.Equal(new AssetLocation("/builds/container", AssetLocationType.Container), Assert.Single(files[0].Locations));

        // An asset in two places keeps both, in BAR's order.
        var twice = build.Assets.Single(a => a.Name == "Bench.Package000000");
        Assert.Equal(["/builds/feed", "/builds/mirror"], twice.Locations.Select(l => l.Location));
    }

    [Fact]
    public async Task The_asset_keys_of_a_local_BAR_build_are_its_assets_names_versions_and_shipping_flags()
    {
        using var work = new TestDirectory();
        var bar = new SqliteBuildAssetRegistry(work.Combine("bar.db"), TimeProvider.System);
        var added = await bar.AddBuildAsync(Build(files: 30, packages: 10), CancellationToken.None);
        var build = (await bar.GetBuildAsync(added.Id, CancellationToken.None))!;

        var keys = (await bar.GetBuildAssetKeysAsync(added.Id, CancellationToken.None))!;

        Assert.Equal(build.Commit, keys.Commit);
        Assert.Equal(build.Id, keys.Id);
        Assert.Equal(build.Assets.Select(a => (a.Name, a.Version, a.NonShipping)), keys.Assets);
        Assert.Contains(keys.Assets, a => a.NonShipping);
        Assert.Null(await bar.GetBuildAssetKeysAsync(added.Id + 1, CancellationToken.None));
    }

    [Fact]
    public void Past_the_limit_new_values_are_kept_as_they_are_and_not_shared()
    {
        var shared = new BarAssetValues();
        for (var i = 0; i < BarAssetValues.Limit; i++)
        {
            shared.Add([], $"/builds/{i}", AssetLocationType.Container);
        }

        var first = shared.Add([], "/builds/0", AssetLocationType.Container);
        var past = shared.Add([], "/builds/past", AssetLocationType.Container);

        Assert.Same(first, shared.Add([], "/builds/0", AssetLocationType.Container));
        Assert.NotSame(past, shared.Add([], "/builds/past", AssetLocationType.Container));
        Assert.Equal(past, shared.Add([], "/builds/past", AssetLocationType.Container));
        Assert.NotSame(first, shared.Add([], "/builds/0", AssetLocationType.NugetFeed));
    }

    private static BuildDataJson Build(int files, int packages) => new()
    {
        Commit = "0123456789abcdef0123456789abcdef01234567",
        GitHubRepository = "https://github.com/contoso/bench",
        AzureDevOpsBuildNumber = "20261130.1",
        Assets =
        [
            .. Enumerable.Range(0, packages).Select(i => new AssetJson
            {
                Name = $"Bench.Package{i:D6}",
                Version = "1.0.0",
                NonShipping = i % 7 == 0,
                Locations = i == 0
                    ? [new LocationJson { Location = "/builds/feed", Type = AssetLocationType.NugetFeed }, new LocationJson { Location = "/builds/mirror", Type = AssetLocationType.NugetFeed }]
                    : [new LocationJson { Location = "/builds/feed", Type = AssetLocationType.NugetFeed }],
            }),
            .. Enumerable.Range(0, files).Select(i => new AssetJson
            {
                Name = $"assets/bench/{i % 10:D2}/bench-file-{i:D6}.bin",
                Version = "1.0.0",
                Locations = [new LocationJson { Location = "/builds/container", Type = AssetLocationType.Container }],
            }),
        ],
    };
}
