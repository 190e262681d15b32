using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

public sealed class ArchiveLayoutTests
{
    private const string DropRoot = "/drop";

    private static readonly string[] DropPaths =
    [
        "sdk/10.0.100/dotnet.dll",
        "sdk/10.0.100/Sdks/readme.md",
        "sdk/10.0.100/dotnet.pdb",
        "runtime/dotnet",
        "runtime/shared/libhostfxr.so",
        "packages/Sample.Core.1.0.0.nupkg",
        "LICENSE.txt",
    ];

    [Theory]
    [InlineData("*.txt", "LICENSE.txt", true)]
    [InlineData("*.txt", "docs/LICENSE.txt", false)]
    [InlineData("**/*.txt", "LICENSE.txt", true)]
    [InlineData("**/*.txt", "docs/a/LICENSE.txt", true)]
    [InlineData("sdk/**", "sdk/10.0.100/dotnet.dll", true)]
    [InlineData("sdk/**", "sdkx/dotnet.dll", false)]
    [InlineData("sdk/*/dotnet.dll", "sdk/10.0.100/dotnet.dll", true)]
    [InlineData("sdk/*/dotnet.dll", "sdk/a/b/dotnet.dll", false)]
    [InlineData("dotnet.?ll", "dotnet.dll", true)]
    [InlineData("dotnet.?ll", "dotnet.ll", false)]
    [InlineData("a+b(c).txt", "a+b(c).txt", true)]
    [InlineData("*.DLL", "x.dll", false)]
    public void GlobsKeepSingleStarsWithinAFolderAndLetDoubleStarsSpanFolders(string pattern, string path, bool matches)
    {
        Assert.Equal(matches, new DropGlob(pattern).IsMatch(path));
    }

    [Fact]
    public void RulesSelectStripAndPlaceDropFiles()
    {
        var entries = ArchiveLayout.Select(DropRoot, DropPaths,
        [
            new ArchiveLayoutRule(["sdk/**"], ["**/*.pdb"], StripPrefix: "sdk", PlaceUnder: "dotnet/sdk"),
            new ArchiveLayoutRule(["runtime/**"], [], StripPrefix: "runtime/", PlaceUnder: "dotnet"),
            new ArchiveLayoutRule(["LICENSE.txt"], []),
        ]);

        Assert.Equal(
        [
            ("/drop/sdk/10.0.100/Sdks/readme.md", "dotnet/sdk/10.0.100/Sdks/readme.md"),
            ("/drop/sdk/10.0.100/dotnet.dll", "dotnet/sdk/10.0.100/dotnet.dll"),
            ("/drop/runtime/dotnet", "dotnet/dotnet"),
            ("/drop/runtime/shared/libhostfxr.so", "dotnet/shared/libhostfxr.so"),
            ("/drop/LICENSE.txt", "LICENSE.txt"),
        ], entries.Select(e => (e.SourcePath, e.EntryPath)));
    }

    [Fact]
    public void AnIncludePatternThatMatchesNothingIsAnError()
    {
        var error = Assert.Throws<ReleaseException>(() => ArchiveLayout.Select(DropRoot, DropPaths,
            [new ArchiveLayoutRule(["sdk/**", "aspnetcore/**"], [])]));

        Assert.Contains("'aspnetcore/**' matches no file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOutsideThePrefixToStripIsAnError()
    {
        var error = Assert.Throws<ReleaseException>(() => ArchiveLayout.Select(DropRoot, DropPaths,
            [new ArchiveLayoutRule(["**/*.md", "LICENSE.txt"], [], StripPrefix: "sdk")]));

        Assert.Contains("'LICENSE.txt' matches 'LICENSE.txt' but does not start with the prefix 'sdk'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderToPlaceUnderThatEscapesIsRefused()
    {
        var error = Assert.Throws<ReleaseException>(() => ArchiveLayout.Select(DropRoot, DropPaths,
            [new ArchiveLayoutRule(["LICENSE.txt"], [], PlaceUnder: "../outside")]));

        Assert.Contains("'..' segment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntriesSelectedFromTheContractCarryTheAssetsSizeAndHash()
    {
        var hash = new string('f', 128);
        ContractAsset[] assets =
        [
            new("Sdk/dotnet-sdk.tar.gz", "10.0.100", Shipping: true, IsPackage: false, BuildId: 7, Size: 1234, hash, "sdk/dotnet-sdk.tar.gz"),
            new("Sample.Core.1.0.0.nupkg", "1.0.0", Shipping: true, IsPackage: true, BuildId: 7, Size: 99, hash, "packages/Sample.Core.1.0.0.nupkg"),
        ];

        var entry = Assert.Single(ArchiveLayout.Select(DropRoot, assets, [new ArchiveLayoutRule(["sdk/*"], [], StripPrefix: "sdk")]));

        Assert.Equal(new ArchiveEntrySource("/drop/sdk/dotnet-sdk.tar.gz", "dotnet-sdk.tar.gz", ExpectedSize: 1234, ExpectedSha512: hash), entry);
    }

    [Fact]
    public void SelectingFromAFolderOnDiskGivesEntriesThatTarCanBeWrittenFrom()
    {
        using var directory = new TestDirectory();
        Directory.CreateDirectory(directory.Combine("bin"));
        File.WriteAllText(directory.Combine("bin", "tool"), "tool");
        File.WriteAllText(directory.Combine("notes.md"), "notes");

        var entries = ArchiveLayout.Select(directory.Path, [new ArchiveLayoutRule(["**"], ["*.md"], PlaceUnder: "app")]);

        var entry = Assert.Single(entries);
        Assert.Equal(("app/bin/tool", directory.Combine("bin", "tool")), (entry.EntryPath, entry.SourcePath));
    }
}
