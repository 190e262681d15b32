using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>The validation steps' settings: bound once to their records, checked in one place, applied to the pass's options.</summary>
public sealed class ValidationSettingsTests
{
    private static IRingStep Step(string kind)
    {
        var pass = new SharedValidationPass(new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance));
        using var services = new ServiceCollection().AddSingleton(pass).BuildServiceProvider();
        return Kind(kind).Descriptor.Create(services);
    }

    private static IValidationStepKind Kind(string kind) => ValidationStepKinds.Find(kind) ?? throw new ArgumentException($"{kind} is not a validation step kind", nameof(kind));

    private static List<(string Key, string Message)> Validate(string kind, string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. Step(kind).ValidateSettings(document.RootElement.Clone())];
    }

    [Fact]
    public void Settings_errors_name_the_key_and_what_is_expected()
    {
        var errors = Validate("signing-validation", """{"trustedRoot": [], "trustedRootFingerprints": ["abc"], "revocationMode": "sometimes", "packageSigners": [{"fingerprint": "x", "certificate": "y"}]}""");
        Assert.Contains(errors, e => e.Key == "trustedRoot" && e.Message.Contains("unknown setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "trustedRootFingerprints" && e.Message.Contains("SHA-256", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "revocationMode" && e.Message == "expected \"online\" or \"offline\".");
        Assert.Contains(errors, e => e.Key == "packageSigners" && e.Message.Contains("not both", StringComparison.Ordinal));
        Assert.Empty(Validate("symbol-validation", """{"symbolServer": "https://symbols.example/"}"""));
        Assert.Single(Validate("symbol-validation", """{"symbolServer": "ftp://x"}"""));
        Assert.Empty(Validate("symbol-validation", """{"symbolServer": "http://localhost:5000/"}"""));
        var plain = Assert.Single(Validate("symbol-validation", """{"symbolServer": "http://symbols.example/"}"""));
        Assert.Equal("symbolServer", plain.Key);
        Assert.Contains("is plain http to symbols.example", plain.Message, StringComparison.Ordinal);
    }
}
