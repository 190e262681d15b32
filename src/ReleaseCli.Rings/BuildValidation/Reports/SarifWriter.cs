using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseCli.Rings.BuildValidation.Reports;

/// <summary>
/// Writes findings as a SARIF 2.1.0 log: one run of the tool "release", its rules with descriptions,
/// one result per finding. The artifact location is the file; the virtual path inside containers is a
/// logical location (kind "member") and a property, so viewers can show both.
/// </summary>
public static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static byte[] Write(ValidationReport report, string toolVersion)
    {
        var ruleIds = report.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rules = new JsonArray();
        foreach (var id in ruleIds)
        {
            rules.Add(new JsonObject
            {
                ["id"] = id,
                ["shortDescription"] = new JsonObject { ["text"] = RuleIds.Descriptions.TryGetValue(id, out var text) ? text : $"BinSkim rule {id}." },
            });
        }

        var results = new JsonArray();
        foreach (var finding in report.Findings)
        {
            var result = new JsonObject
            {
                ["ruleId"] = finding.RuleId,
                ["ruleIndex"] = ruleIds.IndexOf(finding.RuleId),
                ["level"] = finding.Severity switch { FindingSeverity.Error => "error", FindingSeverity.Warning => "warning", _ => "note" },
                ["message"] = new JsonObject { ["text"] = finding.Message },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(finding.File).Replace("%2F", "/", StringComparison.Ordinal) } },
                    ["logicalLocations"] = new JsonArray(new JsonObject { ["fullyQualifiedName"] = finding.VirtualPath, ["kind"] = "member" }),
                }),
                ["properties"] = new JsonObject { ["check"] = ValidationChecks.Name(finding.Check), ["virtualPath"] = finding.VirtualPath },
            };
            results.Add(result);
        }

        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "release",
                        ["version"] = toolVersion,
                        ["rules"] = rules,
                    },
                },
                ["results"] = results,
                ["properties"] = new JsonObject
                {
                    ["checks"] = new JsonArray([.. report.Checks.Select(c => (JsonNode)new JsonObject { ["check"] = ValidationChecks.Name(c.Check), ["state"] = ValidationChecks.StateName(c.State), ["summary"] = c.Summary })]),
                },
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(log, new JsonSerializerOptions { WriteIndented = true });
    }
}
