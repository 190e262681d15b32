using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Tests.Drop;

public sealed class BlobLocationTests
{
    [Fact]
    public void An_azure_container_url_with_a_prefix_and_a_sas_is_split()
    {
        Assert.True(BlobLocation.TryParse("https://dotnetbuilds.blob.core.windows.net/public/assets?sv=1&sig=x", out var location));
        Assert.Equal(new BlobLocation("dotnetbuilds", "https://dotnetbuilds.blob.core.windows.net/public", "assets/", "sv=1&sig=x"), location);
    }

    [Fact]
    public void An_azurite_path_style_url_names_the_account_in_its_path()
    {
        Assert.True(BlobLocation.TryParse("http://127.0.0.1:10000/devstoreaccount1/drop", out var location));
        Assert.Equal(new BlobLocation("devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1/drop", string.Empty, null), location);
    }

    [Theory]
    [InlineData("https://example.com/files")]
    [InlineData("https://acct.blob.core.windows.net/")]
    [InlineData("/srv/containers/a")]
    public void Other_locations_are_not_blob_containers(string location) => Assert.False(BlobLocation.TryParse(location, out _));
}
