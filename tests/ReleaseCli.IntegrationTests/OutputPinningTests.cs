using System.Globalization;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>Every verb's text and JSON output, pinned on the sample product.</summary>
[Collection(SampleCollection.Name)]
public sealed class OutputPinningTests(SampleProducts sample)
{
    [Fact]
    public async Task Ring_decision_and_status_output_is_pinned()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var build = release.AppBuildId.ToString(CultureInfo.InvariantCulture);
        var prep = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", build)).ShouldExitWith(3);
        Golden.Match("prep-pending.txt", prep.StandardOutput, release.Directory);

        var approve = (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team", "--comment", "complete")).ShouldSucceed();
        Golden.Match("approve.txt", approve.StandardOutput, release.Directory);
        var approveJson = (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team", "--output", "json")).ShouldSucceed();
        Golden.Match("approve-again.json", approveJson.StandardOutput, release.Directory);

        var promoted = (await release.RunAsync(SampleRelease.Manager, "prep", "--output", "json")).ShouldSucceed();
        Golden.Match("prep-promoted.json", promoted.StandardOutput, release.Directory);

        var source = (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldSucceed();
        Golden.Match("validate-source.txt", source.StandardOutput, release.Directory);

        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldSucceed();
        Golden.Match("status.txt", status.StandardOutput, release.Directory);
        var statusJson = (await release.RunAsync(SampleRelease.Manager, "status", "--output", "json")).ShouldSucceed();
        Golden.Match("status.json", statusJson.StandardOutput, release.Directory);
    }

    [Fact]
    public async Task Override_and_reject_output_is_pinned()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(1);
        var overridden = (await release.RunAsync(SampleRelease.SecondManager, "override", "prep", "--gate", "versions", "--justification", "0.9.0 ships to the legacy feed only")).ShouldSucceed();
        Golden.Match("override.txt", overridden.StandardOutput, release.Directory);
        var rejected = (await release.RunAsync(SampleRelease.ReleaseTeam, "reject", "prep", "--gate", "release-team", "--reason", "the legacy package needs its own release", "--output", "json")).ShouldSucceed();
        Golden.Match("reject.json", rejected.StandardOutput, release.Directory);
        var failed = (await release.RunAsync(SampleRelease.Manager, "prep")).ShouldExitWith(1);
        Golden.Match("prep-rejected.txt", failed.StandardOutput, release.Directory);
    }

    [Fact]
    public async Task Bar_verbs_output_is_pinned()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var channels = (await release.RunAsync(SampleRelease.Manager, "bar", "channels")).ShouldSucceed();
        Golden.Match("bar-channels.txt", channels.StandardOutput, release.Directory);
        var channelsJson = (await release.RunAsync(SampleRelease.Manager, "bar", "channels", "--output", "json")).ShouldSucceed();
        Golden.Match("bar-channels.json", channelsJson.StandardOutput, release.Directory);
        var build = (await release.RunAsync(SampleRelease.Manager, "bar", "get-build", release.CoreBuildId.ToString(CultureInfo.InvariantCulture))).ShouldSucceed();
        Golden.Match("bar-get-build.txt", build.StandardOutput.Replace(sample.Good, "<sample>", StringComparison.Ordinal), release.Directory);
        var missing = (await release.RunAsync(SampleRelease.Manager, "bar", "get-build", "999")).ShouldExitWith(2);
        Assert.Contains("Build 999 is not in the local BAR", missing.StandardError);
    }

    [Fact]
    public async Task Reading_a_local_bar_that_does_not_exist_is_refused_without_creating_one()
    {
        var empty = Path.Combine(Path.GetTempPath(), "release-empty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(empty);
        var result = (await ReleaseExe.RunAsync(empty, SampleRelease.Manager, ["bar", "channels"])).ShouldExitWith(2);
        Assert.Contains("There is no local BAR at", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(empty, ".release")));
        Directory.Delete(empty, recursive: true);
    }

    [Fact]
    public async Task A_definition_or_log_file_path_that_cannot_be_used_is_a_usage_error_naming_it()
    {
        var folder = Directory.CreateTempSubdirectory("release-paths-");
        try
        {
            var definition = (await ReleaseExe.RunAsync(folder.FullName, SampleRelease.Manager, ["status", "--definition", folder.FullName])).ShouldExitWith(2);
            Assert.Contains($"error: The release definition {folder.FullName} is a folder. Pass --definition <path to release.json>", definition.StandardError, StringComparison.Ordinal);

            var file = Path.Combine(folder.FullName, "file.txt");
            await File.WriteAllTextAsync(file, "a file, not a folder");
            foreach (var (logFile, reason) in new[] { (folder.FullName, "it is a folder"), (Path.Combine(file, "release.log"), string.Empty) })
            {
                var log = (await ReleaseExe.RunAsync(folder.FullName, SampleRelease.Manager, ["status", "--log-file", logFile])).ShouldExitWith(2);
                Assert.StartsWith($"error: --log-file: cannot write {logFile}: {reason}", log.StandardError, StringComparison.Ordinal);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Help_names_every_verb_and_the_exit_codes()
    {
        var help = await ReleaseExe.RunAsync(Path.GetTempPath(), SampleRelease.Manager, ["--help"]);
        help.ShouldSucceed();
        foreach (var verb in new[] { "prep", "validate-source", "validate-build", "stage", "publish", "status", "approve", "reject", "override", "bar" })
        {
            Assert.Contains($"  {verb}", help.StandardOutput);
        }

        Assert.Contains("4    locked: another run holds the release", help.StandardOutput);
        var prepHelp = (await ReleaseExe.RunAsync(Path.GetTempPath(), SampleRelease.Manager, ["prep", "--help"])).ShouldSucceed();
        Assert.Contains("--build", prepHelp.StandardOutput);
        Assert.Contains("--force-entry", prepHelp.StandardOutput);
        var stageHelp = (await ReleaseExe.RunAsync(Path.GetTempPath(), SampleRelease.Manager, ["stage", "--help"])).ShouldSucceed();
        foreach (var kind in new[] { "archive", "checksums", "sign", "release-notes", "release-metadata", "artifacts-valid" })
        {
            Assert.Contains(kind, stageHelp.StandardOutput);
        }

        Assert.DoesNotContain("artifacts-valid", prepHelp.StandardOutput);
        var bad = (await ReleaseExe.RunAsync(Path.GetTempPath(), SampleRelease.Manager, ["prep", "--no-such-option"])).ShouldExitWith(2);
        Assert.Contains("--no-such-option", bad.StandardError);
    }
}
