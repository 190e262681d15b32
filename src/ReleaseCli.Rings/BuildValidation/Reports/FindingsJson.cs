using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseCli.Rings.BuildValidation.Reports;

/// <summary>The JSON shape of findings and check verdicts, shared by the step outputs and <c>release verify --output json</c>.</summary>
public static class FindingsJson
{
    public static JsonObject ToJson(Finding finding) => new()
    {
        ["ruleId"] = finding.RuleId,
        ["severity"] = finding.Severity.ToString().ToLowerInvariant(),
        ["check"] = ValidationChecks.Name(finding.Check),
        ["file"] = finding.File,
        ["virtualPath"] = finding.VirtualPath,
        ["message"] = finding.Message,
    };

    public static JsonObject ToJson(CheckVerdict verdict) => new()
    {
        ["check"] = ValidationChecks.Name(verdict.Check),
        ["state"] = ValidationChecks.StateName(verdict.State),
        ["checked"] = verdict.Checked,
        ["errors"] = verdict.Errors,
        ["warnings"] = verdict.Warnings,
        ["summary"] = verdict.Summary,
    };

    public static JsonObject ToJson(ValidationReport report) => new()
    {
        ["files"] = report.Files,
        ["entries"] = report.Entries,
        ["bytes"] = report.Bytes,
        ["seconds"] = Math.Round(report.Elapsed.TotalSeconds, 3),
        ["errors"] = report.Errors,
        ["checks"] = new JsonArray([.. report.Checks.Select(c => (JsonNode)ToJson(c))]),
        ["findings"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)ToJson(f))]),
    };

    public static byte[] Write(ValidationReport report) =>
        JsonSerializer.SerializeToUtf8Bytes(ToJson(report), new JsonSerializerOptions { WriteIndented = true });
}
