using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Runs a leg on this machine, within the ring's run: checks out the leg's commit into its own folder, then runs
/// the scanners the settings turn on side by side over that tree. A ring run that is stopped part way starts the
/// unfinished legs again next time (a checkout that already holds the commit is kept).
/// </summary>
public sealed class LocalSdlLegRunner : ISdlLegRunner
{
    public SdlRunnerKind Kind => SdlRunnerKind.Local;

    public string ToolsVersion { get; } = $"{PinnedDotnetTool.DevSkim.PackageId}/{PinnedDotnetTool.DevSkim.Version};{PinnedDotnetTool.SbomTool.PackageId}/{PinnedDotnetTool.SbomTool.Version}";

    public async Task<SdlLegReport> RunAsync(SdlLegRequest request, CancellationToken cancellationToken)
    {
        var leg = request.Leg;
        var workspace = LegWorkspace.Under(request.WorkFolder);
        Directory.CreateDirectory(workspace.Results);
        Directory.CreateDirectory(workspace.Logs);
        request.Logger.LogInformation("sdl leg {Leg}: checking out {Commit} from {From}", leg.Name, leg.Commit, leg.CloneFrom);
        var problem = await GitCheckout.CheckoutAsync(leg.CloneFrom, leg.Commit, workspace.Source, workspace.Logs, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return new SdlLegReport(leg, StepStatus.Failed, $"no scanner ran: {problem}", request.WorkFolder);
        }

        var tools = new ToolCache(request.Settings.ToolCache is { } cache ? request.ResolvePath(cache) : ToolCache.DefaultRoot());
        var scans = new List<Task<ScannerResult>>
        {
            DevSkimScanner.RunAsync(workspace, request.Settings, tools, cancellationToken),
            SbomScanner.RunAsync(workspace, request, tools, cancellationToken),
            CredentialScan.RunAsync(workspace, request.Settings, request.ResolvePath, cancellationToken),
        };
        scans.AddRange((request.Settings.Commands ?? []).Select(c => CommandScanner.RunAsync(c, workspace, request, cancellationToken)));
        var scanners = await Task.WhenAll(scans).ConfigureAwait(false);

        var failed = scanners.Where(s => s.State is ScannerState.Failed or ScannerState.Error).ToList();
        var message = failed.Count > 0
            ? string.Join("; ", failed.Select(s => $"{s.Scanner} {(s.State == ScannerState.Error ? "could not run" : "failed")}: {s.Message}"))
            : $"passed at {leg.Commit[..12]}: {string.Join("; ", scanners.Select(s => s.State == ScannerState.NotConfigured ? $"{s.Scanner} not configured" : s.Message))}";
        request.Logger.LogInformation("sdl leg {Leg}: {Message}", leg.Name, message);
        return new SdlLegReport(leg, failed.Count > 0 ? StepStatus.Failed : StepStatus.Succeeded, message, request.WorkFolder) { Scanners = scanners };
    }
}
