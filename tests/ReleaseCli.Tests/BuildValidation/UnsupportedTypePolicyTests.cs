using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Definition;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>
/// A file of a type whose signature the tool cannot verify (an installer, a Linux or macOS package) fails
/// the signing check unless the exclusions file exempts it or the policy says to warn.
/// </summary>
public sealed class UnsupportedTypePolicyTests : IDisposable
{
    // The start of a compound file, as every .msi begins; no signature.
    private static readonly byte[] UnsignedMsi = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("unsupported-types-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<ValidationReport> RunAsync(SigningPolicy policy, params string[] files) =>
        await new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance).RunAsync(
            [.. files.Select(f => new ValidationInput(f, Path.GetFileName(f)))],
            new ValidationOptions { Checks = new HashSet<ValidationCheck> { ValidationCheck.Signing }, Signing = policy },
            CancellationToken.None);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string ZipHolding(string name, string entry, byte[] content)
    {
        var path = Path.Combine(_work.FullName, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var stream = zip.CreateEntry(entry).Open();
        stream.Write(content);
        return path;
    }

    [Fact]
    public async Task An_unsigned_msi_fails_the_signing_check_by_default_in_the_drop_and_inside_a_zip()
    {
        var report = await RunAsync(new SigningPolicy(), Write("product.msi", UnsignedMsi), ZipHolding("bundle.zip", "setup/product.msi", UnsignedMsi));

        Assert.Equal(["bundle.zip/setup/product.msi", "product.msi"], report.Findings.Select(f => f.VirtualPath).Order(StringComparer.Ordinal));
        Assert.All(report.Findings, f => Assert.Equal((RuleIds.Unsupported, FindingSeverity.Error), (f.RuleId, f.Severity)));
        Assert.Contains("list it in the exclusions file with the reason", report.Findings[0].Message, StringComparison.Ordinal);
        var verdict = report.For(ValidationCheck.Signing)!;
        Assert.Equal((CheckState.Failed, 2, 2), (verdict.State, verdict.Checked, verdict.Errors));
        Assert.Equal("checked 2 signed file(s) and package(s): 2 error(s)", verdict.Summary);
    }

    [Fact]
    public async Task An_msi_the_exclusions_file_lists_is_counted_and_not_an_error()
    {
        var exclusions = SignCheckExclusions.Parse(["product.msi;;signed and checked with signtool by the installer build"], "exclusions.txt");

        var report = await RunAsync(new SigningPolicy { Exclusions = exclusions }, Write("product.msi", UnsignedMsi), Write("other.deb", [0x21, 0x3C, 0x61, 0x72]));

        var other = Assert.Single(report.Findings);
        Assert.Equal(("other.deb", RuleIds.Unsupported, FindingSeverity.Error), (other.VirtualPath, other.RuleId, other.Severity));
        Assert.Equal((CheckState.Failed, 2), (report.For(ValidationCheck.Signing)!.State, report.For(ValidationCheck.Signing)!.Checked));

        var exemptOnly = await RunAsync(new SigningPolicy { Exclusions = exclusions }, Write("product.msi", UnsignedMsi));
        Assert.Empty(exemptOnly.Findings);
        Assert.Equal(("checked 1 signed file(s) and package(s): no errors", CheckState.Passed), (exemptOnly.For(ValidationCheck.Signing)!.Summary, exemptOnly.For(ValidationCheck.Signing)!.State));
    }

    [Fact]
    public async Task With_the_policy_set_to_warn_an_unsigned_msi_is_a_warning_and_the_check_passes()
    {
        var report = await RunAsync(new SigningPolicy { UnsupportedTypes = UnsupportedTypePolicy.Warn }, Write("product.msi", UnsignedMsi));

        var finding = Assert.Single(report.Findings);
        Assert.Equal((RuleIds.Unsupported, FindingSeverity.Warning), (finding.RuleId, finding.Severity));
        var verdict = report.For(ValidationCheck.Signing)!;
        Assert.Equal((CheckState.Passed, 0, 1), (verdict.State, verdict.Errors, verdict.Warnings));
        Assert.Equal("checked 1 signed file(s) and package(s): no errors, 1 warning(s)", verdict.Summary);
    }

    [Fact]
    public void The_signing_settings_take_the_policy_and_refuse_anything_but_error_or_warn()
    {
        using var warn = JsonDocument.Parse("""{"unsupportedTypes": "warn"}""");
        using var wrong = JsonDocument.Parse("""{"unsupportedTypes": "ignore"}""");
        using var none = JsonDocument.Parse("{}");
        var kind = new SigningValidationKind();
        var step = new BuildValidationStep<SigningValidationSettings>(kind, new SharedValidationPass(new ValidationEngine(new FakeUrlProbe(_ => 200), NullLogger<ValidationEngine>.Instance)));
        SigningPolicy PolicyOf(JsonDocument settings) =>
            kind.Apply(new ValidationOptions { Checks = new HashSet<ValidationCheck>() }, new StepDefinition("signing", kind.Kind, [], settings.RootElement), p => p).Signing;

        Assert.Empty(step.ValidateSettings(warn.RootElement));
        var problem = Assert.Single(step.ValidateSettings(wrong.RootElement));
        Assert.Equal("unsupportedTypes", problem.Key);
        Assert.StartsWith("expected \"error\"", problem.Message, StringComparison.Ordinal);
        Assert.Equal(UnsupportedTypePolicy.Warn, PolicyOf(warn).UnsupportedTypes);
        Assert.Equal(UnsupportedTypePolicy.Error, PolicyOf(none).UnsupportedTypes);
    }
}
