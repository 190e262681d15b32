using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.SourceValidation;
using ReleaseCli.Testing;

namespace ReleaseCli.Tests.SourceValidation;

/// <summary>
/// The local runner on a real git repository: it checks out exactly the leg's commit, and its credential scan and
/// the definition's command (with its SARIF log) settle the leg. DevSkim and sbom-tool are left to the integration
/// tests, which install them.
/// </summary>
public sealed class LocalSdlLegRunnerTests : IDisposable
{
    private static readonly string StorageKey = Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes("a test value")));

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "user.name=Test", "-c", "user.email=test@contoso.com", "-c", "commit.gpgsign=false", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
    }

    private static string Head(string folder)
    {
        var start = new ProcessStartInfo("git", ["rev-parse", "HEAD"]) { WorkingDirectory = folder, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        return process.StandardOutput.ReadToEnd().Trim();
    }

    /// <summary>A repository whose first commit has a storage key at config/app.json line 2 and whose second removes it.</summary>
    private (string Repository, string WithKey, string WithoutKey) Repository()
    {
        var repository = _directory.Combine("origin");
        Directory.CreateDirectory(Path.Combine(repository, "config"));
        Git(repository, "init", "--quiet", "-b", "main");
        File.WriteAllText(Path.Combine(repository, "config", "app.json"), $"{{\n  \"storage\": \"AccountName=x;AccountKey={StorageKey};EndpointSuffix=core.windows.net\"\n}}\n");
        File.WriteAllText(Path.Combine(repository, "README.md"), "sample\n");
        Git(repository, "add", "--all");
        Git(repository, "commit", "--quiet", "-m", "first");
        var withKey = Head(repository);
        File.WriteAllText(Path.Combine(repository, "config", "app.json"), "{}\n");
        Git(repository, "commit", "--quiet", "-am", "second");
        return (repository, withKey, Head(repository));
    }

    private SdlLegRequest Request(string repository, string commit, SdlValidationSettings settings) => new()
    {
        Leg = new SdlLeg($"https://github.com/contoso/sample@{commit[..7]}", "https://github.com/contoso/sample", commit, $"sample@{commit[..12]}", new RepositoryLocation(RepositoryLocationKind.LocalPath, repository)),
        Settings = settings,
        WorkFolder = _directory.Combine("work", commit[..12]),
        ResolvePath = p => Path.GetFullPath(p, _directory.Path),
        Product = "Contoso Sample",
        Logger = NullLogger.Instance,
    };

    private static readonly SdlValidationSettings CredentialsAndCommand = new()
    {
        DevSkim = false,
        Sbom = false,
        Commands =
        [
            new SdlCommand
            {
                Name = "lint",
                Command = ["/bin/sh", "-c", """printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[{"ruleId":"L1","level":"warning","message":{"text":"style"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"README.md"},"region":{"startLine":1}}}]}]}]}' > "$RELEASE_SDL_RESULTS/lint.sarif" """],
                Sarif = "lint.sarif",
            },
        ],
    };

    [Fact]
    public async Task A_leg_checks_out_exactly_its_commit_and_fails_naming_the_file_and_line_of_a_credential()
    {
        var (repository, withKey, _) = Repository();
        var request = Request(repository, withKey, CredentialsAndCommand);

        var report = await new LocalSdlLegRunner().RunAsync(request, CancellationToken.None);

        Assert.Equal(StepStatus.Failed, report.Status);
        Assert.Contains("config/app.json:2 (CRED001)", report.Message, StringComparison.Ordinal);
        Assert.Equal(withKey, Head(Path.Combine(request.WorkFolder, "source")));
        var scanners = report.Scanners.ToDictionary(s => s.Scanner);
        Assert.Equal(ScannerState.NotConfigured, scanners[SdlScanners.DevSkim].State);
        Assert.Equal(ScannerState.NotConfigured, scanners[SdlScanners.Sbom].State);
        Assert.Equal(ScannerState.Failed, scanners[SdlScanners.Credentials].State);
        // A warning does not fail the leg under the default failOn; the command still counts as having run.
        Assert.Equal(ScannerState.Passed, scanners[SdlScanners.Command("lint")].State);
        Assert.Equal(1, scanners[SdlScanners.Command("lint")].Count(SarifLevel.Warning));

        var log = SdlSarifLog.Write([report]);
        Assert.Empty(SarifSchema.Problems(log));
        using var document = JsonDocument.Parse(log);
        Assert.Equal(2, document.RootElement.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task The_next_commit_without_the_key_passes_and_failOn_warning_makes_the_command_fail_it()
    {
        var (repository, _, withoutKey) = Repository();

        var passed = await new LocalSdlLegRunner().RunAsync(Request(repository, withoutKey, CredentialsAndCommand), CancellationToken.None);
        Assert.Equal(StepStatus.Succeeded, passed.Status);

        var strict = await new LocalSdlLegRunner().RunAsync(Request(repository, withoutKey, CredentialsAndCommand with { FailOn = [SarifLevel.Warning, SarifLevel.Error] }), CancellationToken.None);
        Assert.Equal(StepStatus.Failed, strict.Status);
        Assert.Contains("README.md:1 (L1)", strict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commit_the_repository_does_not_have_fails_the_leg_without_running_any_scanner()
    {
        var (repository, _, _) = Repository();

        var report = await new LocalSdlLegRunner().RunAsync(Request(repository, new string('0', 40), CredentialsAndCommand), CancellationToken.None);

        Assert.Equal(StepStatus.Failed, report.Status);
        Assert.StartsWith("no scanner ran: commit 0000000000000000000000000000000000000000 is not in", report.Message, StringComparison.Ordinal);
        Assert.Empty(report.Scanners);
    }
}
