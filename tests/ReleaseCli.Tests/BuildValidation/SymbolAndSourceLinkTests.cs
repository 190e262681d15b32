using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.SourceLink;
using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class SymbolAndSourceLinkTests
{
    [Fact]
    public void Symbol_keys_follow_the_ssqp_conventions()
    {
        var guid = new Guid("3ea9f48f-f955-4f2c-8d4a-970a9f2c0614");
        Assert.Equal("contoso.sample.app.pdb/3ea9f48ff9554f2c8d4a970a9f2c0614FFFFFFFF/contoso.sample.app.pdb", new PdbIdentity("Contoso.Sample.App.pdb", guid, 1, IsPortable: true).Key);
        Assert.Equal("native.pdb/3ea9f48ff9554f2c8d4a970a9f2c06142a/native.pdb", new PdbIdentity("Native.pdb", guid, 42, IsPortable: false).Key);
        Assert.Equal("x.pdb", PdbIdentity.FileNameOf(@"C:\build\obj\x.pdb"));
        Assert.Equal("x.pdb", PdbIdentity.FileNameOf("/build/obj/x.pdb"));
    }

    [Theory]
    [InlineData("https://raw.githubusercontent.com/contoso/sample-core/abc123/src/a.cs", true)]
    [InlineData("https://github.com/contoso/sample-core/raw/abc123/src/a.cs", true)]
    [InlineData("https://raw.githubusercontent.com/contoso/sample-core/def456/src/a.cs", false)]
    [InlineData("https://raw.githubusercontent.com/contoso/sample-app/abc123/src/a.cs", false)]
    [InlineData("https://raw.githubusercontent.com/contoso/sample-core-fork/abc123/src/a.cs", false)]
    [InlineData("http://raw.githubusercontent.com/contoso/sample-core/abc123/src/a.cs", false)]
    [InlineData("https://raw.githubusercontent.com/contoso/sample-core/abc1234/src/a.cs", false)]
    public void SourceLink_urls_must_name_the_repository_and_commit(string url, bool expected)
    {
        Assert.Equal(expected, SourceLinkChecker.PointsAt(url, "https://github.com/contoso/sample-core.git", "abc123"));
    }

    [Fact]
    public void Azure_DevOps_urls_must_name_the_repository_and_commit()
    {
        const string Repository = "https://dev.azure.com/contoso/product/_git/sample-core";
        Assert.True(SourceLinkChecker.PointsAt("https://dev.azure.com/contoso/product/_apis/git/repositories/sample-core/items?api-version=1.0&versionType=commit&version=abc123&path=/src/a.cs", Repository, "abc123"));
        Assert.False(SourceLinkChecker.PointsAt("https://dev.azure.com/contoso/product/_apis/git/repositories/sample-core/items?api-version=1.0&versionType=commit&version=def456&path=/src/a.cs", Repository, "abc123"));

        // A fork at the same commit, or another project's repository, is not the repository BAR names.
        Assert.False(SourceLinkChecker.PointsAt("https://dev.azure.com/contoso/product/_apis/git/repositories/sample-core-fork/items?api-version=1.0&versionType=commit&version=abc123&path=/src/a.cs", Repository, "abc123"));
        Assert.False(SourceLinkChecker.PointsAt("https://dev.azure.com/contoso/other/_apis/git/repositories/sample-core/items?api-version=1.0&versionType=commit&version=abc123&path=/src/a.cs", Repository, "abc123"));
        Assert.False(SourceLinkChecker.PointsAt("https://dev.azure.com/contoso/product/_apis/git/repositories/sample-core/items?api-version=1.0&versionType=branch&version=abc123&path=/src/a.cs", Repository, "abc123"));
    }

    [Fact]
    public void A_build_of_an_internal_mirror_may_point_at_the_public_repository_it_mirrors()
    {
        const string Mirror = "https://dev.azure.com/dnceng/internal/_git/dotnet-runtime";
        Assert.True(SourceLinkChecker.PointsAt("https://raw.githubusercontent.com/dotnet/runtime/abc123/src/a.cs", Mirror, "abc123"));
        Assert.True(SourceLinkChecker.PointsAt("https://raw.githubusercontent.com/dotnet/runtime/abc123/src/a.cs", "https://dnceng.visualstudio.com/internal/_git/dotnet-runtime", "abc123"));
        Assert.True(SourceLinkChecker.PointsAt("https://dev.azure.com/dnceng/internal/_apis/git/repositories/dotnet-runtime/items?versionType=commit&version=abc123&path=/src/a.cs", Mirror, "abc123"));
        Assert.False(SourceLinkChecker.PointsAt("https://raw.githubusercontent.com/dotnet/runtime/def456/src/a.cs", Mirror, "abc123"));
        Assert.False(SourceLinkChecker.PointsAt("https://raw.githubusercontent.com/dotnet/aspnetcore/abc123/src/a.cs", Mirror, "abc123"));

        // Only the mirrors' own project follows the convention.
        Assert.False(SourceLinkChecker.PointsAt("https://raw.githubusercontent.com/contoso/app/abc123/src/a.cs", "https://dev.azure.com/contoso/product/_git/contoso-app", "abc123"));
    }

    [Theory]
    [InlineData("https://github.com/dotnet/runtime", "https://dev.azure.com/dnceng/internal/_git/dotnet-runtime", true)]
    [InlineData("https://dnceng@dev.azure.com/dnceng/internal/_git/dotnet-runtime", "https://dev.azure.com/dnceng/internal/_git/dotnet-runtime", true)]
    [InlineData("https://github.com/dotnet/runtime.git", "https://github.com/dotnet/runtime/", true)]
    [InlineData("https://github.com/dotnet/runtime-fork", "https://dev.azure.com/dnceng/internal/_git/dotnet-runtime", false)]
    [InlineData("https://github.com/contoso/app", "https://dev.azure.com/contoso/product/_git/contoso-app", false)]
    [InlineData("https://gitlab.example.com/dotnet/runtime", "https://github.com/dotnet/runtime", false)]
    public void A_nuspec_repository_is_the_one_bar_records_or_the_one_its_internal_mirror_mirrors(string url, string repository, bool expected)
    {
        Assert.Equal(expected, SourceRepository.IsNameOf(url, repository));
    }

    [Theory]
    [InlineData("https://gitlab.example.com/contoso/sample-core/-/raw/abc123/src/a.cs", true)]
    [InlineData("https://gitlab.example.com/contoso/sample-core/raw/src/a.cs?ref=abc123", true)]
    [InlineData("https://gitlab.example.com/contoso/sample-core/-/raw/abc1234/src/a.cs", false)]
    [InlineData("https://gitlab.example.com/contoso/sample-core-fork/-/raw/abc123/src/a.cs", false)]
    [InlineData("https://gitlab.example.com/other/x/-/raw/abc123/sample-core/a.cs", false)]
    [InlineData("https://elsewhere.example.com/contoso/sample-core/-/raw/abc123/src/a.cs", false)]
    public void Other_hosts_must_serve_the_commit_under_the_repository_path(string url, bool expected)
    {
        Assert.Equal(expected, SourceLinkChecker.PointsAt(url, "https://gitlab.example.com/contoso/sample-core.git", "abc123"));
    }

    [Fact]
    public void The_longest_matching_prefix_maps_a_document()
    {
        var map = SourceLinkMap.Parse("""{"documents":{"/src/*":"https://example.org/a/*","/src/sub/*":"https://example.org/b/*","/one.cs":"https://example.org/one.cs"}}"""u8);
        Assert.Equal("https://example.org/b/x.cs", map.Map("/src/sub/x.cs"));
        Assert.Equal("https://example.org/a/y/z.cs", map.Map("/src/y/z.cs"));
        Assert.Equal("https://example.org/one.cs", map.Map("/one.cs"));
        Assert.Null(map.Map("/elsewhere/x.cs"));
    }
}
