using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Packages;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>The validation steps' settings: bound once to their records, checked in one place, applied to the pass's options.</summary>
public sealed class ValidationSettingsTests
{
    private const string Fingerprint = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

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

    /// <summary>The options a pass gets from one step of <paramref name="kind"/> with these settings (paths resolved under <paramref name="folder"/>).</summary>
    private static ValidationOptions Apply(string kind, string json, string folder = "/definition")
    {
        using var document = JsonDocument.Parse(json);
        var step = new StepDefinition("step", kind, [], document.RootElement.Clone());
        return Kind(kind).Apply(new ValidationOptions { Checks = new HashSet<ValidationCheck>() }, step, p => Path.Combine(folder, p));
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

    [Fact]
    public void A_misspelt_setting_is_answered_with_the_closest_one_and_the_settings_the_kind_takes()
    {
        var error = Assert.Single(Validate("symbol-validation", """{"symbolServr": "https://symbols.example/"}"""));
        Assert.Equal(("symbolServr", "unknown setting; did you mean 'symbolServer'? symbol-validation takes maxParallelism and symbolServer."), error);

        var package = Assert.Single(Validate("package-validation", """{"requireLicence": true}"""));
        Assert.StartsWith("unknown setting; did you mean 'requireLicense'?", package.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_in_a_step_s_settings_is_reported_at_once()
    {
        var errors = Validate("signing-validation", $$"""
            {
              "trustedRoots": ["roots.pem", ""],
              "expectedSigner": ["Microsoft Corporation"],
              "trustedRootFingerprints": ["abc"],
              "revocationMode": true,
              "unsupportedTypes": "ignore",
              "exclusionsFile": "",
              "maxParallelism": 0,
              "packageSigners": [{"fingerprint": "{{Fingerprint}}", "certificate": "signer.pem"}, {"fingerprint": "short"}, null, {"certificate": "", "fingerprnt": "x"}]
            }
            """);

        Assert.Equal(
            [
                ("exclusionsFile", "expected a path."),
                ("expectedSigner", "unknown setting; did you mean 'expectedSigners'? signing-validation takes exclusionsFile, expectedSigners, maxParallelism, packageSigners, revocationMode, sdkTrustedRoots, trustedRootFingerprints, trustedRoots and unsupportedTypes."),
                ("maxParallelism", "expected a whole number from 1 to 64."),
                ("packageSigners", "[0]: give either \"fingerprint\" (the signing certificate's SHA-256) or \"certificate\" (a PEM or DER file), not both or neither."),
                ("packageSigners", "[1].fingerprint: expected 64 hexadecimal digits (SHA-256)."),
                ("packageSigners", "[2]: expected an object."),
                ("packageSigners", "[3].certificate: expected a path."),
                ("packageSigners", "[3].fingerprnt: unknown; a signer takes name, fingerprint or certificate, and allowUntrustedRoot."),
                ("revocationMode", "expected a string, found true."),
                ("trustedRootFingerprints", "expected an array of SHA-256 fingerprints (64 hexadecimal digits each)."),
                ("trustedRoots", "[1]: expected a non-empty string."),
                ("unsupportedTypes", "expected \"error\" (a file of a type whose signature this tool cannot verify fails the check unless the exclusions file lists it) or \"warn\" (it is reported as a warning)."),
            ],
            errors.OrderBy(e => e.Key, StringComparer.Ordinal).ThenBy(e => e.Message, StringComparer.Ordinal));
    }

    [Fact]
    public void A_value_of_the_wrong_type_inside_packageSigners_is_named_by_its_place()
    {
        var error = Assert.Single(Validate("signing-validation", $$"""{"packageSigners": [{"fingerprint": "{{Fingerprint}}"}, {"certificate": "signer.pem", "allowUntrustedRoot": "yes"}]}"""));

        Assert.Equal("packageSigners", error.Key);
        Assert.StartsWith("expected an array of objects, found ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(at [1].allowUntrustedRoot).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_kind_refuses_its_own_mistakes_and_takes_what_is_right()
    {
        Assert.Equal([("requiredAuthors", "[0]: expected a non-empty string.")], Validate("package-validation", """{"requiredAuthors": [""], "requireIcon": true}"""));
        Assert.Equal([("requireLicense", "expected true or false, found the string \"yes\".")], Validate("package-validation", """{"requireLicense": "yes"}"""));
        Assert.Equal([("online", "expected true or false, found the number 1.")], Validate("sourcelink-validation", """{"online": 1}"""));
        Assert.Equal([("path", "expected a path.")], Validate("binskim", """{"path": ""}"""));
        Assert.Equal([("maxParallelism", "expected a whole number, found the number 2.5.")], Validate("checksum-validation", """{"maxParallelism": 2.5}"""));
        Assert.Equal([("maxParallelism", "expected a whole number from 1 to 64.")], Validate("asset-validation", """{"maxParallelism": 65}"""));
        Assert.Empty(Validate("asset-validation", """{"maxParallelism": 64}"""));
        Assert.Empty(Validate("signing-validation", $$"""{"trustedRootFingerprints": ["{{Fingerprint.ToLowerInvariant()}}"], "revocationMode": "online", "unsupportedTypes": "warn", "packageSigners": [{"name": "Microsoft", "fingerprint": "{{Fingerprint}}", "allowUntrustedRoot": true}]}"""));
    }

    [Fact]
    public void Settings_left_out_keep_the_defaults_of_the_checks()
    {
        foreach (var kind in ValidationStepKinds.All)
        {
            var options = Apply(kind.Kind, "{}");
            Assert.Equal([kind.Check], options.Checks);
            Assert.Equal(Environment.ProcessorCount, options.MaxParallelism);
        }

        var packages = Apply("package-validation", "{}").Packages;
        var rules = new PackageRules();
        Assert.Equal(
            (rules.RequireLicense, rules.RequireProjectUrl, rules.RequireIcon, rules.RequireRepository, 0),
            (packages.RequireLicense, packages.RequireProjectUrl, packages.RequireIcon, packages.RequireRepository, packages.RequiredAuthors.Count));

        var signing = Apply("signing-validation", "{}").Signing;
        Assert.Equal((0, 0, 0, 0, false, UnsupportedTypePolicy.Error, null), (signing.TrustedRoots.Count, signing.TrustedRootFingerprints.Count, signing.ExpectedSigners.Count, signing.PackageSigners.Count, signing.RevocationOnline, signing.UnsupportedTypes, signing.SdkTrustedRootsDirectory));
        Assert.Same(SignCheckExclusions.None, signing.Exclusions);

        Assert.Null(Apply("symbol-validation", "{}").SymbolServer);
        Assert.False(Apply("sourcelink-validation", "{}").SourceLinkOnline);
        Assert.Null(Apply("binskim", "{}").BinSkimPath);

        // A signer with no unknown keys binds none (the collection the serializer fills only when it meets one).
        var signer = JsonSerializer.Deserialize($$"""{"fingerprint": "{{Fingerprint}}"}""", RingsSettingsJsonContext.Default.PackageSignerSettings)!;
        Assert.Null(signer.UnknownKeys);
        Assert.False(signer.AllowUntrustedRoot);
    }

    [Fact]
    public void The_settings_given_become_the_options_of_the_pass()
    {
        var packages = Apply("package-validation", """{"requireLicense": false, "requireIcon": true, "requiredAuthors": ["Microsoft"], "maxParallelism": 4}""");
        Assert.Equal((false, true, true, true, 4), (packages.Packages.RequireLicense, packages.Packages.RequireProjectUrl, packages.Packages.RequireIcon, packages.Packages.RequireRepository, packages.MaxParallelism));
        Assert.Equal(["Microsoft"], packages.Packages.RequiredAuthors);
        Assert.Equal(new Uri("https://symbols.example/base/"), Apply("symbol-validation", """{"symbolServer": "https://symbols.example/base"}""").SymbolServer);
        Assert.True(Apply("sourcelink-validation", """{"online": true}""").SourceLinkOnline);
        Assert.Equal(Path.Combine("/definition", "tools/binskim"), Apply("binskim", """{"path": "tools/binskim"}""").BinSkimPath);

        var signing = Apply("signing-validation", $$"""{"revocationMode": "online", "unsupportedTypes": "warn", "expectedSigners": ["Microsoft Corporation"], "trustedRootFingerprints": ["{{Fingerprint.ToLowerInvariant()}}"], "sdkTrustedRoots": "sdk", "packageSigners": [{"fingerprint": "{{Fingerprint.ToLowerInvariant()}}", "allowUntrustedRoot": true}, {"name": "Contoso", "fingerprint": "{{Fingerprint}}"}]}""").Signing;
        Assert.True(signing.RevocationOnline);
        Assert.Equal(UnsupportedTypePolicy.Warn, signing.UnsupportedTypes);
        Assert.Equal(["Microsoft Corporation"], signing.ExpectedSigners);
        Assert.Contains(Fingerprint, signing.TrustedRootFingerprints);
        Assert.Equal(Path.Combine("/definition", "sdk"), signing.SdkTrustedRootsDirectory);
        Assert.Equal([new TrustedSigner(Fingerprint.ToLowerInvariant()[..12], Fingerprint, true), new TrustedSigner("Contoso", Fingerprint, false)], signing.PackageSigners);
    }

    [Fact]
    public void Files_the_signing_settings_name_are_loaded_and_are_the_files_of_the_input_digest()
    {
        using var work = new TestDirectory();
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Package Signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(work.Combine("signer.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(work.Combine("roots.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(work.Combine("exclusions.txt"), "*.txt;;release notes are not signed\n");
        const string Json = """{"trustedRoots": ["roots.pem"], "exclusionsFile": "exclusions.txt", "packageSigners": [{"certificate": "signer.pem"}]}""";

        var signing = Apply("signing-validation", Json, work.Path).Signing;
        Assert.Equal(certificate.Thumbprint, Assert.Single(signing.TrustedRoots).Thumbprint);
        var signer = Assert.Single(signing.PackageSigners);
        Assert.Equal(CertificateTrust.Sha256(certificate), signer.Sha256Fingerprint);
        Assert.Equal(signer.Sha256Fingerprint[..12], signer.Name);
        Assert.Equal((work.Combine("exclusions.txt"), 1), (signing.Exclusions.Source, signing.Exclusions.Count));

        var settings = JsonSerializer.Deserialize(Json, RingsSettingsJsonContext.Default.SigningValidationSettings)!;
        Assert.Equal(["roots.pem", "exclusions.txt", "signer.pem"], new SigningValidationKind().ReferencedFiles(settings));
        Assert.Empty(new BinSkimKind().ReferencedFiles(new BinSkimSettings { Path = "binskim" }));
    }

    [Fact]
    public void Settings_that_do_not_bind_stop_the_pass_with_the_step_named()
    {
        var error = Assert.Throws<ReleaseException>(() => Apply("binskim", """{"path": 7}"""));
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Equal("the settings of step 'step' are not valid: path: expected a string, found the number 7.", error.Message);
    }
}
