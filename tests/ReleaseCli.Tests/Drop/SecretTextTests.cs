using ReleaseCli.Core.Drop;

namespace ReleaseCli.Tests.Drop;

public sealed class SecretTextTests
{
    [Theory]
    [InlineData("https://acct.blob.core.windows.net/c/a.zip?sv=2025&sig=SECRET", "https://acct.blob.core.windows.net/c/a.zip?***")]
    [InlineData("https://user:SECRET@feed.example/index.json", "https://feed.example/index.json")]
    [InlineData("https://feed.example/v3/index.json", "https://feed.example/v3/index.json")]
    [InlineData("/srv/feeds/local", "/srv/feeds/local")]
    public void Urls_never_show_their_query_or_credentials(string location, string shown)
    {
        Assert.Equal(shown, SecretText.MaskUrl(location));
        Assert.DoesNotContain("SECRET", SecretText.MaskUrl(location), StringComparison.Ordinal);
    }
}
