using System.Globalization;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>The runbook module (eng/powershell) in PowerShell 7.6.9, driving the built executable on the sample product.</summary>
[Collection(SampleCollection.Name)]
public sealed class PowerShellModuleTests(SampleProducts sample)
{
    [Fact]
    public async Task The_module_returns_objects_treats_pending_as_a_result_and_throws_by_exit_code()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var build = release.AppBuildId.ToString(CultureInfo.InvariantCulture);

        var pending = (await PowerShellHost.RunAsync(release.Directory, SampleRelease.Manager, $$"""
            Import-Module Release
            $ring = Invoke-ReleaseRing prep -Build {{build}}
            "outcome=$($ring.outcome)"
            "exit=$($ring.exitCode)"
            "mayApprove=$(($ring.status.gates | Where-Object id -eq 'release-team').waiting.mayApprove -join ',')"
            try { Approve-ReleaseGate prep release-team | Out-Null; 'approved' } catch { "error=$($_.FullyQualifiedErrorId) code=$($_.Exception.Data['ExitCode']) target=$($_.TargetObject.exitCode)" }
            try { Invoke-ReleaseRing validate-source | Out-Null; 'ran' } catch { "error=$($_.FullyQualifiedErrorId) outcome=$($_.TargetObject.outcome)" }
            """)).ShouldSucceed();
        var lines = pending.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("outcome=pending", lines);
        Assert.Contains("exit=3", lines);
        Assert.Contains($"mayApprove={SampleRelease.ReleaseTeam}", lines);
        // The manager ran the ring and may not approve it: a usage error, with the tool's error document.
        Assert.Contains("error=Release.UsageError code=2 target=2", lines);
        // validate-source cannot enter before prep is promoted: a failed ring, with the ring's report.
        Assert.Contains("error=Release.Failed outcome=failed", lines);

        var decided = (await PowerShellHost.RunAsync(release.Directory, SampleRelease.ReleaseTeam, """
            Import-Module Release
            $approval = Approve-ReleaseGate prep release-team -Comment 'looks right'
            "decision=$($approval.decision) actor=$($approval.actor) event=$($approval.event)"
            $rejection = Deny-ReleaseGate prep release-team -Reason 'the notes are not final'
            "decision=$($rejection.decision) actor=$($rejection.actor)"
            $status = Get-ReleaseStatus -Verify
            "prep=$(($status.rings | Where-Object ring -eq 'prep').state) decisions=$(($status.rings | Where-Object ring -eq 'prep').decisions.Count)"
            """)).ShouldSucceed();
        Assert.Matches("decision=approved actor=bob@contoso.com event=[0-9]+", decided.StandardOutput);
        Assert.Contains("decision=rejected actor=bob@contoso.com", decided.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("prep=pending decisions=2", decided.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_powershell_and_bash_example_in_the_automation_doc_runs()
    {
        var blocks = FencedBlocks(await File.ReadAllTextAsync(Path.Combine(SampleProducts.RepositoryRoot, "docs", "automation.md"))).ToList();
        Assert.Contains(blocks, b => b.Language == "powershell");
        Assert.Contains(blocks, b => b.Language == "bash");

        using var release = await SampleRelease.CreateAsync(sample.Good);
        var environment = new Dictionary<string, string> { ["BUILD_ID"] = release.AppBuildId.ToString(CultureInfo.InvariantCulture) };
        foreach (var (language, code, line) in blocks)
        {
            var result = language == "powershell"
                ? await PowerShellHost.RunAsync(release.Directory, SampleRelease.Manager, code, environment)
                : await ReleaseExe.RunProgramAsync("bash", ["-c", code], release.Directory, SampleRelease.Manager, environment);
            Assert.True(result.ExitCode == 0, $"docs/automation.md line {line} ({language}): {result}");
            Assert.False(string.IsNullOrWhiteSpace(result.StandardOutput), $"docs/automation.md line {line} printed nothing: {result}");
            Assert.DoesNotContain("ParserError", result.StandardError, StringComparison.Ordinal);
        }
    }

    /// <summary>The ```powershell and ```bash blocks of a markdown page, with the line each starts on.</summary>
    private static IEnumerable<(string Language, string Code, int Line)> FencedBlocks(string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].Trim();
            if (fence is not ("```powershell" or "```bash"))
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            yield return (fence[3..], string.Join('\n', lines[start..end]), start);
            i = end;
        }
    }
}
