using System.Diagnostics;
using System.Text.Json;

namespace ReleaseCli.Rings.BuildValidation.BinSkim;

/// <summary>
/// Runs BinSkim (<c>binskim analyze FILES --output X.sarif</c>) on the PE files of the pass and turns the
/// results of its SARIF log into findings, each mapped back to the file and virtual path it came from.
/// </summary>
public static class BinSkimRunner
{
    public static async Task<IReadOnlyList<Finding>> RunAsync(string executable, IReadOnlyList<(string Path, ValidationItem Item)> inputs, string temporaryDirectory, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return [];
        }

        Directory.CreateDirectory(temporaryDirectory);
        var sarif = Path.Combine(temporaryDirectory, "binskim.sarif");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("analyze");
        foreach (var (path, _) in inputs)
        {
            start.ArgumentList.Add(path);
        }

        start.ArgumentList.Add("--output");
        start.ArgumentList.Add(sarif);
        start.ArgumentList.Add("--force");
        var first = inputs[0].Item;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return [Failure(first, $"BinSkim at {executable} could not be started: {ex.Message}; check binskim's path setting")];
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (!File.Exists(sarif))
            {
                var output = (await stderr.ConfigureAwait(false)).Trim();
                if (output.Length == 0)
                {
                    output = (await stdout.ConfigureAwait(false)).Trim();
                }

                return [Failure(first, $"BinSkim exited {process.ExitCode} without writing its SARIF log: {output[..Math.Min(500, output.Length)]}")];
            }
        }

        try
        {
            return Read(await File.ReadAllBytesAsync(sarif, cancellationToken).ConfigureAwait(false), inputs);
        }
        catch (JsonException ex)
        {
            return [Failure(first, $"BinSkim's SARIF log cannot be read: {ex.Message}")];
        }
    }

    /// <summary>
    /// Findings from a SARIF log's results: errors and warnings (BinSkim's "pass" and "note" results are not findings).
    /// A log that is not JSON, or not shaped as SARIF 2.1.0, is a <see cref="JsonException"/>.
    /// </summary>
    public static IReadOnlyList<Finding> Read(byte[] sarif, IReadOnlyList<(string Path, ValidationItem Item)> inputs)
    {
        try
        {
            return ReadResults(sarif, inputs);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            // A property missing, or of another JSON type than SARIF gives it.
            throw new JsonException($"it is not a SARIF 2.1.0 log ({ex.Message})", ex);
        }
    }

    private static List<Finding> ReadResults(byte[] sarif, IReadOnlyList<(string Path, ValidationItem Item)> inputs)
    {
        var byPath = inputs.ToDictionary(i => Path.GetFullPath(i.Path), i => i.Item, StringComparer.Ordinal);
        var findings = new List<Finding>();
        using var document = JsonDocument.Parse(sarif);
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                var level = result.TryGetProperty("level", out var l) ? l.GetString() : "warning";
                var kind = result.TryGetProperty("kind", out var k) ? k.GetString() : "fail";
                if (kind is "pass" or "notApplicable" || level is "note" or "none")
                {
                    continue;
                }

                var rule = result.TryGetProperty("ruleId", out var r) ? r.GetString() ?? "BinSkim" : "BinSkim";
                var message = result.TryGetProperty("message", out var m) && m.TryGetProperty("text", out var t) ? t.GetString() ?? string.Empty : string.Empty;
                var uri = result.TryGetProperty("locations", out var locations) && locations.GetArrayLength() > 0
                    && locations[0].TryGetProperty("physicalLocation", out var physical) && physical.TryGetProperty("artifactLocation", out var artifact)
                    && artifact.TryGetProperty("uri", out var u) ? u.GetString() : null;
                var path = uri is null ? null : Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : uri;
                var item = path is not null && byPath.TryGetValue(Path.GetFullPath(path), out var found) ? found : inputs[0].Item;
                findings.Add(item.Finding(rule, level == "error" ? FindingSeverity.Error : FindingSeverity.Warning, ValidationCheck.BinSkim, $"BinSkim {rule}: {message}"));
            }
        }

        return findings;
    }

    private static Finding Failure(ValidationItem item, string message) => item.Finding(RuleIds.BinSkimFailed, FindingSeverity.Error, ValidationCheck.BinSkim, message);
}
