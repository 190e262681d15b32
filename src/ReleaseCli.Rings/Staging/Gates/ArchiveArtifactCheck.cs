using System.Security.Cryptography;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>An archive rebuilt from the drop, in memory, must have the recorded SHA-512: the archive is what the layout and the contract say.</summary>
public sealed class ArchiveArtifactCheck : IStagedArtifactCheck
{
    public string StepKind => ArchiveStep.StepKind;

    public async Task<IReadOnlyList<string>> CheckAsync(StagedArtifactScope scope, RecordedArtifact artifact, CancellationToken cancellationToken)
    {
        var settings = scope.SettingsOf(artifact, RingsSettingsJsonContext.Default.ArchiveSettings);
        var date = scope.Context.Definition.RequireReleaseDate("the artifacts-valid gate (it rebuilds archives)");
        var plan = ArchiveStep.Plan(scope.Contract, scope.Context.DropPath, settings, artifact.Step);
        using var rebuilt = new MemoryStream();
        await ArchiveStep.WriteAsync(plan, ArchiveStep.FormatOf(settings)!.Value, date, rebuilt, cancellationToken).ConfigureAwait(false);
        var sha512 = Convert.ToHexStringLower(SHA512.HashData(rebuilt.ToArray()));
        return sha512 == artifact.Entry.Sha512
            ? []
            : [$"rebuilt from the drop it has SHA-512 {sha512[..16]}…, not the recorded {artifact.Entry.Sha512[..16]}…: the archive does not match its layout and the contract; run the stage ring again with a new contract, or report it"];
    }
}
