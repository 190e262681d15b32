using ReleaseCli.Rings.SourceValidation;

namespace ReleaseCli.Tests.SourceValidation;

public sealed class RepositoryLocationTests
{
    [Theory]
    [InlineData("https://github.com/contoso/sample-core", RepositoryLocationKind.Https)]
    [InlineData("ssh://git@ssh.dev.azure.com/v3/contoso/internal/sample", RepositoryLocationKind.Ssh)]
    [InlineData("git@github.com:contoso/sample-core.git", RepositoryLocationKind.Ssh)]
    [InlineData("/srv/git/sample-core", RepositoryLocationKind.LocalPath)]
    [InlineData("file:///srv/git/sample-core", RepositoryLocationKind.LocalPath)]
    public void Https_ssh_and_local_repositories_are_accepted(string address, RepositoryLocationKind kind)
    {
        Assert.True(RepositoryLocation.TryParse(address, null, out var location, out var problem), problem);
        Assert.Equal(kind, location.Kind);
    }

    [Theory]
    [InlineData("http://github.com/contoso/sample-core", "http://")]
    [InlineData("git://github.com/contoso/sample-core", "git://")]
    [InlineData("ext::sh -c touch% /tmp/pwned", "white space")]
    [InlineData("ext::ssh", "transport helper")]
    [InlineData("--upload-pack=touch /tmp/x", "white space")]
    [InlineData("-uevil", "option")]
    [InlineData("https://user:secret@github.com/contoso/x", "password")]
    [InlineData("relative/path", "relative path")]
    [InlineData("file://server/share/repo", "file://")]
    public void Anything_else_is_refused_with_the_reason(string address, string reason)
    {
        Assert.False(RepositoryLocation.TryParse(address, null, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_path_is_a_mirror_resolved_against_the_definition()
    {
        Assert.True(RepositoryLocation.TryParse("sample/repos/core", p => "/defs/" + p, out var location, out _));
        Assert.Equal("/defs/sample/repos/core", location.Value);
    }
}
