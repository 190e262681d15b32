using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class SignCheckExclusionsTests
{
    private static ValidationItem Item(string virtualPath)
    {
        var parts = virtualPath.Split('/');
        return new ValidationItem(parts[0], virtualPath, parts[^1], parts[..^1], null, null);
    }

    [Fact]
    public void Lines_exclude_by_pattern_parent_and_exception()
    {
        var exclusions = SignCheckExclusions.Parse(
        [
            ";; comment",
            "*apphost.exe;;Template, DO-NOT-SIGN",
            "*.js;;We do not sign JavaScript",
            "*.dll;tools.zip;third party",
            "!important.dll;;must be signed",
            "inner.zip;;DO-NOT-UNPACK",
        ], "test");

        Assert.Equal(5, exclusions.Count);
        Assert.True(exclusions.Excluding(Item("pkg.nupkg/runtimes/apphost.exe"))!.DoNotSign);
        Assert.NotNull(exclusions.Excluding(Item("a.zip/x.js")));
        Assert.NotNull(exclusions.Excluding(Item("drop/tools.zip/lib.dll")));
        Assert.Null(exclusions.Excluding(Item("drop/other.zip/lib.dll")));
        Assert.Null(exclusions.Excluding(Item("drop/tools.zip/important.dll")));
        Assert.True(exclusions.DoNotUnpack(Item("outer.zip/inner.zip")));
        Assert.False(exclusions.DoNotUnpack(Item("outer.zip/other.zip")));
    }

    [Fact]
    public void A_line_without_a_pattern_is_refused_with_its_line_number()
    {
        var error = Assert.Throws<FormatException>(() => SignCheckExclusions.Parse(["*.js;;", ";parent;comment"], "exclusions.txt"));
        Assert.Contains("exclusions.txt line 2", error.Message, StringComparison.Ordinal);
    }
}
