using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.GatherDrop;

/// <summary>Names that would escape the drop are refused, and nothing is ever written outside it.</summary>
public sealed class GatherDropSafetyTests
{
    [Fact]
    public async Task Escaping_asset_names_are_refused_before_anything_is_written()
    {
        using var work = new GatherWorkspace();
        var container = Path.Combine(work.Directory, "container");
        Directory.CreateDirectory(Path.Combine(container, "sub"));
        await File.WriteAllTextAsync(Path.Combine(container, "good.txt"), "good");
        await File.WriteAllTextAsync(Path.Combine(work.Directory, "escape.txt"), "outside");
        var build = await work.AddBuildAsync(
            "https://github.com/contoso/unsafe",
            "1111",
            [TestAsset.Blob("good.txt", container), TestAsset.Blob("../escape.txt", container), TestAsset.Blob("sub/../../x.txt", container), TestAsset.Blob("/etc/passwd", container), TestAsset.Blob("C:/Windows/win.ini", container)]);
        var id = build.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var refused = (await work.GatherAsync("--id", id)).ShouldExitWith(5);
        Assert.Contains("4 asset name(s) would escape the drop, so nothing was gathered", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("Refused the path '../escape.txt'", refused.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.DropPath));

        var rest = (await work.GatherAsync("--id", id, "--continue-on-error")).ShouldExitWith(1);
        Assert.Contains("4 asset(s) could not be gathered", rest.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["shipping/assets/good.txt"], work.CompleteFiles());
        Assert.Equal(["bar.db", "escape.txt"], Directory.EnumerateFiles(work.Directory).Select(Path.GetFileName).Where(f => !f!.StartsWith("build-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_symbolic_link_planted_in_the_drop_is_refused()
    {
        using var work = new GatherWorkspace();
        var container = Path.Combine(work.Directory, "container");
        Directory.CreateDirectory(Path.Combine(container, "lib"));
        await File.WriteAllTextAsync(Path.Combine(container, "lib", "a.txt"), "a");
        var outside = Path.Combine(work.Directory, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(Path.Combine(work.DropPath, "shipping", "assets"));
        Directory.CreateSymbolicLink(Path.Combine(work.DropPath, "shipping", "assets", "lib"), outside);
        var build = await work.AddBuildAsync("https://github.com/contoso/link", "2222", [TestAsset.Blob("lib/a.txt", container)]);

        var result = (await work.GatherAsync("--id", build.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldExitWith(1);
        Assert.Contains("is a symbolic link", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }
}
