using System.Text.Json;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Reads the results of a scanner's SARIF 2.1.0 log as findings: rule, level (a result without one is a
/// warning, as SARIF says), message, file relative to the scanned folder and line. Results of kind pass or
/// notApplicable are not findings.
/// </summary>
public static class SarifResultReader
{
    /// <summary>The findings, and the driver's rule descriptions; a file that is not a SARIF log is a <see cref="JsonException"/>.</summary>
    public static (IReadOnlyList<SdlFinding> Findings, IReadOnlyDictionary<string, string> Rules) Read(string path, string scannedFolder)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            var findings = new List<SdlFinding>();
            var rules = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
            {
                if (run.TryGetProperty("tool", out var tool) && tool.GetProperty("driver").TryGetProperty("rules", out var driverRules))
                {
                    foreach (var rule in driverRules.EnumerateArray())
                    {
                        if (rule.TryGetProperty("id", out var id) && rule.TryGetProperty("shortDescription", out var description) && description.TryGetProperty("text", out var text))
                        {
                            rules.TryAdd(id.GetString()!, text.GetString()!);
                        }
                    }
                }

                if (!run.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var result in results.EnumerateArray())
                {
                    if (result.TryGetProperty("kind", out var kind) && kind.GetString() is "pass" or "notApplicable")
                    {
                        continue;
                    }

                    var level = result.TryGetProperty("level", out var l) ? Level(l.GetString()) : SarifLevel.Warning;
                    var ruleId = result.TryGetProperty("ruleId", out var r) ? r.GetString() ?? "(no rule)" : "(no rule)";
                    var message = result.TryGetProperty("message", out var m) && m.TryGetProperty("text", out var t) ? t.GetString() ?? string.Empty : string.Empty;
                    string? file = null;
                    int? line = null;
                    if (result.TryGetProperty("locations", out var locations) && locations.ValueKind == JsonValueKind.Array && locations.GetArrayLength() > 0
                        && locations[0].TryGetProperty("physicalLocation", out var physical))
                    {
                        if (physical.TryGetProperty("artifactLocation", out var artifact) && artifact.TryGetProperty("uri", out var uri))
                        {
                            file = Relative(uri.GetString(), scannedFolder);
                        }

                        if (physical.TryGetProperty("region", out var region) && region.TryGetProperty("startLine", out var start) && start.TryGetInt32(out var n))
                        {
                            line = n;
                        }
                    }

                    findings.Add(new SdlFinding(ruleId, level, message, file, line));
                }
            }

            return (findings, rules);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new JsonException($"it is not a SARIF 2.1.0 log ({ex.Message})", ex);
        }
    }

    private static SarifLevel Level(string? level) => level switch
    {
        "error" => SarifLevel.Error,
        "note" => SarifLevel.Note,
        "none" => SarifLevel.None,
        _ => SarifLevel.Warning,
    };

    /// <summary>A result's file relative to the scanned folder, '/' separated (absolute file URIs and paths are made relative).</summary>
    private static string? Relative(string? uri, string scannedFolder)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return null;
        }

        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : Uri.UnescapeDataString(uri);
        if (Path.IsPathRooted(path))
        {
            path = Path.GetRelativePath(scannedFolder, path);
        }

        return path.Replace('\\', '/');
    }
}
