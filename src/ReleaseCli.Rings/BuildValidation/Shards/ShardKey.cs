using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.BuildValidation.Steps;

namespace ReleaseCli.Rings.BuildValidation.Shards;

/// <summary>
/// What a shard's result depends on besides its slice: the contract, the tool's version, the version rules and every
/// validation step of the ring with its settings and the files they name. Shards merge only with shards of the same
/// key; a changed definition, trusted root or tool makes the final run validate the whole drop itself.
/// </summary>
public static class ShardKey
{
    public static string Of(ReleaseDefinition definition, RingDefinition ring, string contractDigest) => Digest.OfJson(new
    {
        tool = ToolVersion.Current,
        contract = contractDigest,
        stable = definition.VersionRules.Stable,
        steps = ring.Steps
            .Select(s => (Step: s, Kind: ValidationStepKinds.Find(s.Kind)))
            .Where(s => s.Kind is not null)
            .Select(s => new { s.Step.Id, s.Step.Kind, Settings = Digest.SettingsText(s.Step.Settings), Files = ReferencedFile.Of(s.Kind!.ReferencedFiles(s.Step), definition) }),
    });

    /// <summary>The ring's checks that shards run (the per-file ones of its validation steps).</summary>
    public static IReadOnlySet<ValidationCheck> ShardedChecks(RingDefinition ring) =>
        ring.Steps.Select(s => ValidationStepKinds.Find(s.Kind)?.Check).OfType<ValidationCheck>().Where(ValidationChecks.PerFile.Contains).ToHashSet();
}
