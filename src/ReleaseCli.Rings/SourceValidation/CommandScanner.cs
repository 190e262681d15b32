using System.Text.Json;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// A scanner the definition brings (<see cref="SdlCommand"/>), run in the leg's source folder with the leg's
/// facts in its environment; its exit code decides, and its SARIF log, when it names one, adds findings judged
/// by <c>failOn</c>. A program path with a '/' that is not absolute is relative to the definition's folder.
/// </summary>
public static class CommandScanner
{
    public static async Task<ScannerResult> RunAsync(SdlCommand command, LegWorkspace workspace, SdlLegRequest request, CancellationToken cancellationToken)
    {
        var scanner = SdlScanners.Command(command.Name);
        var results = Path.Combine(workspace.Results, "commands", command.Name);
        if (Directory.Exists(results))
        {
            Directory.Delete(results, recursive: true);
        }

        Directory.CreateDirectory(results);
        var program = command.Command[0];
        if (program.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(program))
        {
            program = request.ResolvePath(program);
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RELEASE_SDL_LEG"] = request.Leg.Name,
            ["RELEASE_SDL_REPOSITORY"] = request.Leg.Repository,
            ["RELEASE_SDL_COMMIT"] = request.Leg.Commit,
            ["RELEASE_SDL_SOURCE"] = workspace.Source,
            ["RELEASE_SDL_RESULTS"] = results,
        };
        var run = await ToolProcess.RunAsync(program, command.Command.Skip(1), workspace.Source, Path.Combine(workspace.Logs, $"command-{command.Name}.log"), environment, cancellationToken).ConfigureAwait(false);
        if (!run.Started)
        {
            return ScannerResult.Error(scanner, $"{run.Tail}; check settings.commands ('{command.Name}')");
        }

        IReadOnlyList<SdlFinding> findings = [];
        IReadOnlyDictionary<string, string> rules = new Dictionary<string, string>(StringComparer.Ordinal);
        if (command.Sarif is { } sarifName)
        {
            var sarif = Path.Combine(results, sarifName);
            if (!File.Exists(sarif))
            {
                return ScannerResult.Error(scanner, $"{command.Command[0]} exited {run.ExitCode} without writing {sarifName} in RELEASE_SDL_RESULTS ({results}): {run.Describe()}");
            }

            try
            {
                (findings, rules) = SarifResultReader.Read(sarif, workspace.Source);
            }
            catch (JsonException ex)
            {
                return ScannerResult.Error(scanner, $"the SARIF log {sarif} of '{command.Name}' cannot be read: {ex.Message}");
            }
        }

        var failing = FindingVerdict.Failing(findings, request.Settings.FailingLevels());
        var exitFails = !command.SuccessCodes().Contains(run.ExitCode);
        var message = $"{command.Command[0]} exited {run.ExitCode}" + (command.Sarif is null ? string.Empty : $"; {FindingVerdict.Counts(findings)}")
            + (failing.Count > 0 ? $": {FindingVerdict.Examples(failing)}" : string.Empty)
            + (exitFails ? $"; {run.Describe()}" : string.Empty);
        return new ScannerResult(scanner, exitFails || failing.Count > 0 ? ScannerState.Failed : ScannerState.Passed, message)
        {
            Findings = findings,
            RuleDescriptions = rules,
            ToolName = command.Name,
        };
    }
}
