using System.Text.Json;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Rings;

public sealed class GatherDropStepSettingsTests
{
    private static readonly GatherDropStep Step = new([]);

    [Fact]
    public void Valid_settings_have_no_findings()
    {
        using var settings = JsonDocument.Parse("""{ "maxDownloads": 16, "nonShipping": true, "assetFilter": "^Microsoft\\.", "continueOnError": true, "latestLocation": false, "allowLocalFolders": true }""");
        Assert.Empty(Step.ValidateSettings(settings.RootElement));
    }

    [Fact]
    public void Each_bad_setting_is_named_with_what_is_expected()
    {
        using var settings = JsonDocument.Parse("""{ "maxDownloads": 0, "continueOnError": "yes", "latestLocation": 1, "assetFilter": "(", "skipExisting": true, "allowLocalFolders": "always" }""");
        var findings = Step.ValidateSettings(settings.RootElement).ToDictionary(f => f.Key, f => f.Message);
        Assert.Equal("expected a whole number from 1 to 256.", findings["maxDownloads"]);
        Assert.Equal("expected true or false.", findings["continueOnError"]);
        Assert.Equal("expected true or false.", findings["latestLocation"]);
        Assert.Equal("expected true or false.", findings["allowLocalFolders"]);
        Assert.Equal("expected a valid regular expression string.", findings["assetFilter"]);
        Assert.Equal("unknown setting; gather-drop takes nonShipping, maxDownloads, assetFilter, continueOnError, latestLocation and allowLocalFolders.", findings["skipExisting"]);
    }
}
