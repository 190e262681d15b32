using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>
/// Re-verifies every artifact the ring made: its bytes against the ledger's record (a difference is tampering), then
/// what its kind promises — archives rebuild to the same bytes, signatures verify, the checksums file's lines are the
/// files' hashes, metadata validates, the release notes mention what they should. Each failure names the artifact.
/// </summary>
public sealed class ArtifactsValidGate(IEnumerable<IStagedArtifactCheck> checks) : IGateCheck
{
    public const string GateKind = "artifacts-valid";

    private readonly Dictionary<string, IStagedArtifactCheck> _checks = checks.ToDictionary(c => c.StepKind, StringComparer.Ordinal);

    public ArtifactsValidGate()
        : this([new ArchiveArtifactCheck(), new ChecksumsArtifactCheck(), new SignatureArtifactCheck(), new ReleaseNotesArtifactCheck(), new ReleaseMetadataArtifactCheck()])
    {
    }

    public string Kind => GateKind;

    public string Summary => "every artifact of the ring matches its record and what its kind promises (archives rebuild alike, signatures verify, checksums, metadata, notes)";

    public bool DecidedByPeople => false;

    public IReadOnlyCollection<string>? Rings => [RingName.Stage];

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope) => GateRules.DecidedByCode(gate);

    public async Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var store = context.Store ?? throw new InvalidOperationException("artifacts-valid needs the release's store");
        var artifacts = context.State.Artifacts().Where(a => a.Ring == context.Ring.Name).ToList();
        if (artifacts.Count == 0)
        {
            return GateResult.Failed($"the {context.Ring.Name} ring recorded no artifact for this contract; add the steps that make them, or remove the gate");
        }

        var tampered = await ArtifactArea.VerifyAsync(store, context.Definition.ReleaseId, artifacts, cancellationToken).ConfigureAwait(false);
        if (tampered.Count > 0)
        {
            return GateResult.Tampered(string.Join("; ", tampered));
        }

        var scope = new StagedArtifactScope(context, artifacts);
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var artifact in artifacts)
        {
            var kind = context.Ring.Steps.FirstOrDefault(s => s.Id == artifact.Step)?.Kind;
            if (kind is null || !_checks.TryGetValue(kind, out var check))
            {
                continue;
            }

            checkedCount++;
            try
            {
                problems.AddRange((await check.CheckAsync(scope, artifact, cancellationToken).ConfigureAwait(false)).Select(p => $"{artifact.Ring}/{artifact.Entry.Name} (step '{artifact.Step}'): {p}"));
            }
            catch (ReleaseException failure) when (failure.ExitCode != ExitCode.IntegrityViolation)
            {
                problems.Add($"{artifact.Ring}/{artifact.Entry.Name} (step '{artifact.Step}'): cannot be checked: {failure.Message}");
            }
        }

        return problems.Count == 0
            ? GateResult.Passed($"{artifacts.Count} artifact(s) match their records; {checkedCount} checked for what their kind promises")
            : GateResult.Failed(string.Join("; ", problems));
    }
}
