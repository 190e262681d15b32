using ReleaseCli.Core;
using ReleaseCli.Integrations.Bar;

namespace ReleaseCli.Tests.Bar;

public sealed class SqliteChannelTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" Contoso Builds")]
    [InlineData("Contoso Builds ")]
    [InlineData("Contoso\nBuilds")]
    public async Task A_channel_name_that_is_blank_padded_or_has_control_characters_is_refused(string name)
    {
        using var work = new TestDirectory();
        var bar = new SqliteBuildAssetRegistry(work.Combine("bar.db"), TimeProvider.System);

        var error = await Assert.ThrowsAsync<ReleaseException>(() => bar.AddChannelAsync(name, "release", CancellationToken.None));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("is not a channel name", error.Message, StringComparison.Ordinal);
        Assert.Equal("Contoso Builds", (await bar.AddChannelAsync("Contoso Builds", "release", CancellationToken.None)).Name);
    }
}
