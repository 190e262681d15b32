using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>What the checks of <c>artifacts-valid</c> share: the gate's context, the ring's artifacts (already verified against the ledger) and the drop.</summary>
public sealed class StagedArtifactScope(GateContext context, IReadOnlyList<RecordedArtifact> artifacts)
{
    public GateContext Context => context;

    public IReadOnlyList<RecordedArtifact> Artifacts => artifacts;

    public ReleaseContract Contract => context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, "artifacts are checked against the sealed contract; run `release prep` first");

    /// <summary>The typed settings of the step that made an artifact.</summary>
    public T SettingsOf<T>(RecordedArtifact artifact, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var step = context.Ring.Steps.First(s => s.Id == artifact.Step);
        var errors = new List<(string Key, string Message)>();
        return SettingsBinder.Bind(step.Settings.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("{}").RootElement : step.Settings, typeInfo, step.Kind, errors)
            ?? throw ReleaseException.Usage($"the settings of step '{step.Id}' do not bind: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}"))}");
    }

    /// <summary>The artifacts of this ring made by the steps the step that made <paramref name="artifact"/> depends on.</summary>
    public IReadOnlyList<RecordedArtifact> DependencyArtifactsOf(RecordedArtifact artifact)
    {
        var dependsOn = context.Ring.Steps.First(s => s.Id == artifact.Step).DependsOn;
        return [.. artifacts.Where(a => dependsOn.Contains(a.Step, StringComparer.Ordinal))];
    }

    /// <summary>The SHA-512 of a published file name: an artifact of this ring or a shipping drop file.</summary>
    public string? Sha512Of(string fileName) =>
        artifacts.LastOrDefault(a => Path.GetFileName(a.Entry.Name) == fileName)?.Entry.Sha512
        ?? Contract.Assets.FirstOrDefault(a => a.Shipping && Path.GetFileName(a.DropPath) == fileName)?.Sha512;

    public async Task<byte[]> ReadAsync(RecordedArtifact artifact, CancellationToken cancellationToken)
    {
        var store = context.Store ?? throw new InvalidOperationException("artifacts-valid reads artifacts, which needs the release's store");
        await using var stream = await store.OpenArtifactAsync(context.Definition.ReleaseId, artifact.StorePath, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Integrity($"the artifact {artifact.Ring}/{artifact.Entry.Name} is missing");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }
}
