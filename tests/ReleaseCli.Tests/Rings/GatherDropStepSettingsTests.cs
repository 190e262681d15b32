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
        Assert.StartsWith("expected true or false, found", findings["continueOnError"], StringComparison.Ordinal);
        Assert.StartsWith("expected true or false, found", findings["latestLocation"], StringComparison.Ordinal);
        Assert.StartsWith("expected true or false, found", findings["allowLocalFolders"], StringComparison.Ordinal);
        Assert.Equal("expected a valid regular expression string.", findings["assetFilter"]);
        Assert.Equal("unknown setting; gather-drop takes allowLocalFolders, assetFilter, continueOnError, latestLocation, maxDownloads and nonShipping.", findings["skipExisting"]);
    }

    [Fact]
    public void A_misspelt_setting_is_answered_with_the_closest_one_and_a_repeated_key_is_refused()
    {
        using var settings = JsonDocument.Parse("""{ "maxDownload": 4, "nonShipping": true, "nonShipping": false }""");
        var findings = Step.ValidateSettings(settings.RootElement).ToDictionary(f => f.Key, f => f.Message);
        Assert.StartsWith("unknown setting; did you mean 'maxDownloads'?", findings["maxDownload"], StringComparison.Ordinal);
        Assert.Equal("is given more than once; keep one.", findings["nonShipping"]);
    }
}
