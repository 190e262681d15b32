using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// The merged SARIF 2.1.0 log of an sdl-validation step: one run per leg and scanner that ran (a scanner that
/// could not run has a run whose invocation says so; one that was not configured, and the SBOM, have none). Each run names
/// the repository and commit (versionControlProvenance) and the files relative to it. Findings an allowlist
/// covers carry an external suppression with its reason. The same results make the same bytes.
/// </summary>
public static class SdlSarifLog
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    private const string SourceRoot = "SRCROOT";

    public static byte[] Write(IReadOnlyList<SdlLegReport> legs)
    {
        var runs = new JsonArray();
        foreach (var leg in legs.OrderBy(l => l.Leg.Name, StringComparer.Ordinal))
        {
            // The SBOM is an inventory, not findings: it has its own artifact.
            foreach (var scanner in leg.Scanners.Where(s => s.State != ScannerState.NotConfigured && s.Scanner != SdlScanners.Sbom))
            {
                runs.Add(Run(leg.Leg, scanner));
            }
        }

        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = runs,
        };
        return JsonSerializer.SerializeToUtf8Bytes(log, new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Run(SdlLeg leg, ScannerResult scanner)
    {
        var findings = scanner.Findings
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        var ruleIds = findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var driver = new JsonObject { ["name"] = scanner.ToolName ?? scanner.Scanner };
        if (scanner.ToolVersion is { } version)
        {
            driver["version"] = version;
        }

        driver["rules"] = new JsonArray([.. ruleIds.Select(id => (JsonNode)Rule(id, scanner.RuleDescriptions))]);
        var run = new JsonObject
        {
            ["tool"] = new JsonObject { ["driver"] = driver },
            ["automationDetails"] = new JsonObject { ["id"] = $"{leg.Name}/{scanner.Scanner}" },
        };
        if (Uri.TryCreate(leg.Repository, UriKind.Absolute, out _))
        {
            run["versionControlProvenance"] = new JsonArray(new JsonObject
            {
                ["repositoryUri"] = leg.Repository,
                ["revisionId"] = leg.Commit,
                ["mappedTo"] = new JsonObject { ["uriBaseId"] = SourceRoot },
            });
        }

        run["invocations"] = new JsonArray(new JsonObject
        {
            ["executionSuccessful"] = scanner.State != ScannerState.Error,
            ["toolExecutionNotifications"] = new JsonArray(new JsonObject
            {
                ["level"] = scanner.State == ScannerState.Error ? "error" : "note",
                ["message"] = new JsonObject { ["text"] = scanner.Message },
            }),
        });
        run["results"] = new JsonArray([.. findings.Select(f => (JsonNode)Result(f, ruleIds.IndexOf(f.RuleId)))]);
        run["properties"] = new JsonObject
        {
            ["leg"] = leg.Name,
            ["repository"] = leg.Repository,
            ["commit"] = leg.Commit,
            ["scanner"] = scanner.Scanner,
            ["state"] = scanner.State.ToString(),
        };
        return run;
    }

    private static JsonObject Rule(string id, IReadOnlyDictionary<string, string> descriptions)
    {
        var rule = new JsonObject { ["id"] = id };
        if (descriptions.TryGetValue(id, out var text) && !string.IsNullOrWhiteSpace(text))
        {
            rule["shortDescription"] = new JsonObject { ["text"] = text };
        }

        return rule;
    }

    private static JsonObject Result(SdlFinding finding, int ruleIndex)
    {
        var result = new JsonObject
        {
            ["ruleId"] = finding.RuleId,
            ["ruleIndex"] = ruleIndex,
            ["level"] = finding.Level switch { SarifLevel.Error => "error", SarifLevel.Warning => "warning", SarifLevel.Note => "note", _ => "none" },
            ["message"] = new JsonObject { ["text"] = string.IsNullOrWhiteSpace(finding.Message) ? finding.RuleId : finding.Message },
        };
        if (finding.File is { } file)
        {
            var physical = new JsonObject
            {
                ["artifactLocation"] = new JsonObject
                {
                    ["uri"] = string.Join('/', file.Split('/').Select(Uri.EscapeDataString)),
                    ["uriBaseId"] = SourceRoot,
                },
            };
            if (finding.Line is { } line && line >= 1)
            {
                physical["region"] = new JsonObject { ["startLine"] = line };
            }

            result["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical });
        }

        if (finding.Suppression is { } reason)
        {
            result["suppressions"] = new JsonArray(new JsonObject { ["kind"] = "external", ["justification"] = reason });
        }

        return result;
    }
}
