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

    /// <summary>
    /// Reads back what <see cref="Write"/> wrote (a shard's findings, for the final run to merge); the elapsed time
    /// and the checksum map are not part of the document.
    /// </summary>
    public static ValidationReport Read(ReadOnlySpan<byte> document)
    {
        var root = JsonNode.Parse(document)?.AsObject() ?? throw new JsonException("the document is not a JSON object");
        var findings = root["findings"]!.AsArray().Select(f => new Finding(
            (string)f!["ruleId"]!,
            Enum.Parse<FindingSeverity>((string)f["severity"]!, ignoreCase: true),
            CheckNamed((string)f["check"]!),
            (string)f["file"]!,
            (string)f["virtualPath"]!,
            (string)f["message"]!)).ToList();
        var checks = root["checks"]!.AsArray().Select(c => new CheckVerdict(
            CheckNamed((string)c!["check"]!),
            Enum.Parse<CheckState>((string)c["state"]!, ignoreCase: true),
            (int)c["checked"]!,
            (int)c["errors"]!,
            (int)c["warnings"]!,
            (string)c["summary"]!)).ToList();
        return new ValidationReport(findings, checks, (int)root["files"]!, (long)root["entries"]!, (long)root["bytes"]!, TimeSpan.FromSeconds((double)root["seconds"]!));
    }

    private static ValidationCheck CheckNamed(string name) =>
        ValidationChecks.TryParse(name, out var check) ? check : throw new JsonException($"unknown check '{name}'");

    public static byte[] Write(ValidationReport report) =>
        JsonSerializer.SerializeToUtf8Bytes(ToJson(report), new JsonSerializerOptions { WriteIndented = true });
}
