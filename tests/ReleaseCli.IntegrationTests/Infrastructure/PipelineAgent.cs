using System.Text.RegularExpressions;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// Runs a job's expanded steps the way an Azure Pipelines agent does, as far as scripts need: macros
/// <c>$(Name)</c> replaced by known variables (unknown ones left for bash), TF_BUILD and the requester in the
/// environment, and the logging commands that set variables (<c>task.setvariable</c>, also as outputs of a named
/// step) and extend PATH (<c>task.prependpath</c>) applied for the steps after. Tasks are not run; their inputs are
/// expanded for the test to check.
/// </summary>
public sealed partial class PipelineAgent(string workingDirectory, string requester, string agentFolder)
{
    public Dictionary<string, string> Variables { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Agent.TempDirectory"] = Path.Combine(agentFolder, "temp"),
        ["Agent.ToolsDirectory"] = Path.Combine(agentFolder, "tools"),
        ["Build.ArtifactStagingDirectory"] = Path.Combine(agentFolder, "staging"),
        ["System.JobAttempt"] = "1",
    };

    /// <summary>Output variables, as later stages read them: <c>&lt;step&gt;.&lt;variable&gt;</c>.</summary>
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> PrependedPath { get; } = [];

    public List<(PipelineStep Step, ExeResult Result)> Ran { get; } = [];

    public List<(PipelineStep Step, IReadOnlyDictionary<string, string> Inputs)> Tasks { get; } = [];

    public async Task RunAsync(IReadOnlyList<PipelineStep> steps)
    {
        foreach (var folder in new[] { "Agent.TempDirectory", "Agent.ToolsDirectory", "Build.ArtifactStagingDirectory" })
        {
            Directory.CreateDirectory(Variables[folder]);
        }

        var failed = false;
        foreach (var step in steps)
        {
            var always = step.Condition?.Trim() == "always()";
            if (failed && !always)
            {
                continue;
            }

            if (step.Kind == "task")
            {
                Tasks.Add((step, step.Inputs.ToDictionary(i => i.Key, i => Expand(i.Value), StringComparer.Ordinal)));
                continue;
            }

            if (step.Kind != "bash")
            {
                continue;
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["TF_BUILD"] = "True",
                ["BUILD_REQUESTEDFOREMAIL"] = requester,
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            };
            foreach (var (key, value) in step.Env)
            {
                environment[key] = Expand(value);
            }

            if (PrependedPath.Count > 0)
            {
                environment["PATH"] = string.Join(Path.PathSeparator, PrependedPath.AsEnumerable().Reverse()) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            }

            // The agent's bash task: bash --noprofile --norc on the script file.
            var script = Path.Combine(Variables["Agent.TempDirectory"], $"step-{Ran.Count}.sh");
            await File.WriteAllTextAsync(script, Expand(step.Body));
            var result = await ReleaseExe.RunProgramAsync("bash", ["--noprofile", "--norc", script], workingDirectory, requester, environment, TimeSpan.FromMinutes(5), releaseOnPath: false);
            Ran.Add((step, result));
            Apply(step, result.StandardOutput);
            failed |= result.ExitCode != 0;
        }
    }

    private string Expand(string text) =>
        Macro().Replace(text, m => Variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private void Apply(PipelineStep step, string output)
    {
        foreach (Match command in LoggingCommand().Matches(output))
        {
            var (name, properties, value) = (command.Groups[1].Value, command.Groups[2].Value, command.Groups[3].Value.TrimEnd('\r'));
            if (name == "task.prependpath")
            {
                PrependedPath.Add(value);
            }
            else if (name == "task.setvariable" && Regex.Match(properties, "variable=([^;]+)") is { Success: true } variable)
            {
                Variables[variable.Groups[1].Value] = value;
                if (properties.Contains("isOutput=true", StringComparison.OrdinalIgnoreCase) && step.Name is { } stepName)
                {
                    Outputs[$"{stepName}.{variable.Groups[1].Value}"] = value;
                }
            }
        }
    }

    [GeneratedRegex(@"\$\(([A-Za-z0-9_.]+)\)")]
    private static partial Regex Macro();

    [GeneratedRegex(@"^##vso\[([a-z.]+)\s*([^\]]*)\](.*)$", RegexOptions.Multiline)]
    private static partial Regex LoggingCommand();
}
