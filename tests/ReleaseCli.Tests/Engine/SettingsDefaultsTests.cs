using System.Text.Json;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings;
using ReleaseCli.Rings.Publishing;
using ReleaseCli.Tests.Engine.Kinds;

namespace ReleaseCli.Tests.Engine;

/// <summary>
/// A setting left out of the definition holds the record's own default after binding, not its type's: the generated
/// binding of the framework's System.Text.Json would make it null or 0.
/// </summary>
public sealed class SettingsDefaultsTests
{
    [Fact]
    public void Settings_left_out_keep_the_records_initializers()
    {
        var errors = new List<(string Key, string Message)>();
        using var partial = JsonDocument.Parse("""{ "repository": "contoso/product" }""");

        var none = SettingsBinder.Bind(default, TestKindsJsonContext.Default.ExternalRunSettings, "external-run", errors);
        var some = SettingsBinder.Bind(partial.RootElement, RingsSettingsJsonContext.Default.GitHubReleaseSettings, "github-release", errors);

        Assert.Empty(errors);
        Assert.NotNull(none?.Legs);
        Assert.Empty(none.Legs);
        Assert.Equal("contoso/product", some?.Repository);
        Assert.Equal(string.Empty, some?.TokenVariable);
        Assert.Null(some?.Tag);
    }
}
