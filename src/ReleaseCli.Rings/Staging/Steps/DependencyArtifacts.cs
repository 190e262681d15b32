using ReleaseCli.Core;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>The artifacts the steps a stage step depends on made in this run, with the sizes and hashes the ledger recorded.</summary>
public static class DependencyArtifacts
{
    public static IReadOnlyList<RecordedArtifact> Of(StepContext context)
    {
        var artifacts = context.RequireArtifacts();
        var recorded = artifacts.Recorded;
        var found = new List<RecordedArtifact>();
        foreach (var dependency in context.Step.DependsOn)
        {
            var made = context.RequireOutputs().Get(dependency, RingsSettingsJsonContext.Default.StagedArtifacts);
            foreach (var name in made.Names)
            {
                found.Add(recorded.LastOrDefault(a => a.Ring == context.Ring.Name && a.Entry.Name == name)
                    ?? throw new ReleaseException(ExitCode.Failed, $"step '{dependency}' says it made the artifact {name}, but the ledger has no record of it; run the ring again"));
            }
        }

        return found;
    }

    /// <summary>The published file name of an artifact (artifacts may sit in folders; downloads do not).</summary>
    public static string FileName(RecordedArtifact artifact) => Path.GetFileName(artifact.Entry.Name);
}
