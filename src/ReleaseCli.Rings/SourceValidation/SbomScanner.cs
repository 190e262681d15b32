using System.Text.Json;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// An SPDX 2.2 SBOM of the leg's source made by sbom-tool (Microsoft.Sbom.DotNetTool, a pinned .NET tool): every
/// file of the commit with its hashes, and the components its detectors find. It is kept as an artifact. sbom-tool
/// stamps each document with a new namespace and time, so an SBOM already recorded for this contract and leg is
/// kept rather than made again (an artifact never changes).
/// </summary>
public static class SbomScanner
{
    public static async Task<ScannerResult> RunAsync(LegWorkspace workspace, SdlLegRequest request, ToolCache tools, CancellationToken cancellationToken)
    {
        var settings = request.Settings;
        if (!settings.MakesSbom())
        {
            return ScannerResult.NotConfigured(SdlScanners.Sbom, "sbom");
        }

        var artifactName = $"{request.Leg.Folder}/manifest.spdx.json";
        if (request.IsArtifactRecorded(artifactName))
        {
            return new ScannerResult(SdlScanners.Sbom, ScannerState.Passed, $"SBOM made for this contract in an earlier run (artifact {artifactName}); kept as it is");
        }

        var namespaceBase = settings.SbomNamespaceBase ?? request.Leg.Repository;
        if (!Uri.TryCreate(namespaceBase, UriKind.Absolute, out var nsb) || nsb.Scheme != Uri.UriSchemeHttps)
        {
            return ScannerResult.Error(SdlScanners.Sbom, $"the SBOM needs an https document namespace base; the repository address {request.Leg.Repository} is not one, so set settings.sbomNamespaceBase (e.g. \"https://sbom.contoso.com\")");
        }

        var tool = PinnedDotnetTool.SbomTool;
        var (executable, problem) = await tools.EnsureAsync(tool, cancellationToken).ConfigureAwait(false);
        if (executable is null)
        {
            return ScannerResult.Error(SdlScanners.Sbom, problem!);
        }

        // The file list keeps .git out of the SBOM: it describes the commit's files, not the clone.
        var list = Path.Combine(workspace.Results, "sbom-files.txt");
        await File.WriteAllLinesAsync(list, SourceTree.Files(workspace.Source).Select(f => f.FullName), cancellationToken).ConfigureAwait(false);
        var manifests = Path.Combine(workspace.Results, "sbom");
        if (Directory.Exists(manifests))
        {
            Directory.Delete(manifests, recursive: true);
        }

        Directory.CreateDirectory(manifests);
        var name = request.Leg.Repository.TrimEnd('/').Split('/', ':').Last() is { Length: > 0 } last ? last : request.Leg.Folder;
        var run = await ToolProcess.RunAsync(
            executable,
            ["generate", "-b", workspace.Source, "-bc", workspace.Source, "-bl", list, "-m", manifests,
             "-pn", name, "-pv", request.Leg.Commit, "-ps", settings.SbomSupplier ?? request.Product, "-nsb", namespaceBase.TrimEnd('/'), "-V", "Warning"],
            workspace.Source,
            Path.Combine(workspace.Logs, "sbom-tool.log"),
            PinnedDotnetTool.Environment,
            cancellationToken).ConfigureAwait(false);
        var spdx = Path.Combine(manifests, "_manifest", "spdx_2.2", "manifest.spdx.json");
        if (!run.Succeeded || !File.Exists(spdx))
        {
            return ScannerResult.Error(SdlScanners.Sbom, $"sbom-tool exited {run.ExitCode}{(File.Exists(spdx) ? string.Empty : " without writing manifest.spdx.json")}: {run.Describe()}");
        }

        try
        {
            await using var stream = File.OpenRead(spdx);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var files = document.RootElement.TryGetProperty("files", out var f) ? f.GetArrayLength() : 0;
            // The first package is the one the SBOM describes; the rest are the components found.
            var components = document.RootElement.TryGetProperty("packages", out var p) ? Math.Max(0, p.GetArrayLength() - 1) : 0;
            return new ScannerResult(SdlScanners.Sbom, ScannerState.Passed, $"SPDX SBOM of {files} files and {components} components")
            {
                ToolName = "sbom-tool",
                ToolVersion = tool.Version,
                Artifact = (spdx, artifactName),
                Totals = new Dictionary<string, int>(StringComparer.Ordinal) { ["files"] = files, ["components"] = components },
            };
        }
        catch (JsonException ex)
        {
            return ScannerResult.Error(SdlScanners.Sbom, $"sbom-tool wrote {spdx}, which is not JSON: {ex.Message}");
        }
    }
}
