using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>What <c>artifacts-valid</c> checks, beyond the recorded hash, in an artifact made by one step kind.</summary>
public interface IStagedArtifactCheck
{
    /// <summary>The step kind whose artifacts this check understands.</summary>
    string StepKind { get; }

    /// <summary>What is wrong with <paramref name="artifact"/>, each as one sentence; empty when it is sound.</summary>
    Task<IReadOnlyList<string>> CheckAsync(StagedArtifactScope scope, RecordedArtifact artifact, CancellationToken cancellationToken);
}
