using ReleaseCli.Core.Pipelines;

namespace ReleaseCli.Rings.Publishing;

/// <summary>One place the release goes through a pipeline of its own (SNAP, a Linux distribution, Docker images…).</summary>
public sealed record PipelinePublishTarget
{
    /// <summary>The target's name: lower-case letters, digits and '-'. It names the step's leg and the publication.</summary>
    public string? Name { get; init; }

    /// <summary>The Azure DevOps pipeline that publishes to this target.</summary>
    public AzureDevOpsPipelineSettings? AzureDevOps { get; init; }

    /// <summary>The branch or tag of the pipeline's own repository to run; default the pipeline's default branch.</summary>
    public string? RefName { get; init; }

    /// <summary>More template parameters for this target; values may use {version}, {product} and {releaseId}.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}
