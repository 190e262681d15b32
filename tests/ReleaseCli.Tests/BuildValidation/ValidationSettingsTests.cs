using System.Text.Json;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class ValidationSettingsTests
{
    private static List<(string Key, string Message)> Validate(ValidationCheck check, string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. ValidationSettings.Validate(check, document.RootElement.Clone(), "signing-validation")];
    }

    [Fact]
    public void Settings_errors_name_the_key_and_what_is_expected()
    {
        var errors = Validate(ValidationCheck.Signing, """{"trustedRoot": [], "trustedRootFingerprints": ["abc"], "revocationMode": "sometimes", "packageSigners": [{"fingerprint": "x", "certificate": "y"}]}""");
        Assert.Contains(errors, e => e.Key == "trustedRoot" && e.Message.Contains("unknown setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "trustedRootFingerprints" && e.Message.Contains("SHA-256", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "revocationMode");
        Assert.Contains(errors, e => e.Key == "packageSigners" && e.Message.Contains("not both", StringComparison.Ordinal));
        Assert.Empty(Validate(ValidationCheck.Symbols, """{"symbolServer": "https://symbols.example/"}"""));
        Assert.Single(Validate(ValidationCheck.Symbols, """{"symbolServer": "ftp://x"}"""));
        Assert.Empty(Validate(ValidationCheck.Symbols, """{"symbolServer": "http://localhost:5000/"}"""));
        var plain = Assert.Single(Validate(ValidationCheck.Symbols, """{"symbolServer": "http://symbols.example/"}"""));
        Assert.Equal("symbolServer", plain.Key);
        Assert.Contains("is plain http to symbols.example", plain.Message, StringComparison.Ordinal);
    }
}
