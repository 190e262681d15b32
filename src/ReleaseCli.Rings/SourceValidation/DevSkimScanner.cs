using System.Text.Json;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// DevSkim (Microsoft.CST.DevSkim.CLI, a pinned .NET tool) over the leg's source, its SARIF log read back as
/// findings; which of its levels fail the leg is the step's <c>failOn</c>.
/// </summary>
public static class DevSkimScanner
{
    public static async Task<ScannerResult> RunAsync(LegWorkspace workspace, SdlValidationSettings settings, ToolCache tools, CancellationToken cancellationToken)
    {
        if (!settings.RunsDevSkim())
        {
            return ScannerResult.NotConfigured(SdlScanners.DevSkim, "devSkim");
        }

        var tool = PinnedDotnetTool.DevSkim;
        var (executable, problem) = await tools.EnsureAsync(tool, cancellationToken).ConfigureAwait(false);
        if (executable is null)
        {
            return ScannerResult.Error(SdlScanners.DevSkim, problem!);
        }

        var sarif = Path.Combine(workspace.Results, "devskim.sarif");
        File.Delete(sarif);
        List<string> arguments = ["analyze", "--source-code", workspace.Source, "--output-file", sarif, "--file-format", "sarif", "--skip-excerpts", "--console-verbosity", "Error"];
        if (settings.DevSkimIgnoreRuleIds is { Count: > 0 } ignored)
        {
            arguments.AddRange(["--ignore-rule-ids", string.Join(',', ignored)]);
        }

        var run = await ToolProcess.RunAsync(executable, arguments, workspace.Source, Path.Combine(workspace.Logs, "devskim.log"), PinnedDotnetTool.Environment, cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded || !File.Exists(sarif))
        {
            return ScannerResult.Error(SdlScanners.DevSkim, $"DevSkim exited {run.ExitCode}{(File.Exists(sarif) ? string.Empty : " without writing its SARIF log")}: {run.Describe()}");
        }

        try
        {
            var (findings, rules) = SarifResultReader.Read(sarif, workspace.Source);
            var failing = FindingVerdict.Failing(findings, settings.FailingLevels());
            var state = failing.Count > 0 ? ScannerState.Failed : ScannerState.Passed;
            var message = $"DevSkim {FindingVerdict.Counts(findings)}" + (failing.Count > 0 ? $": {FindingVerdict.Examples(failing)}" : string.Empty);
            return new ScannerResult(SdlScanners.DevSkim, state, message) { Findings = findings, RuleDescriptions = rules, ToolName = "DevSkim", ToolVersion = tool.Version };
        }
        catch (JsonException ex)
        {
            return ScannerResult.Error(SdlScanners.DevSkim, $"DevSkim's SARIF log {sarif} cannot be read: {ex.Message}");
        }
    }
}
