using ReleaseCli.Core.Pipelines;

namespace ReleaseCli.Tests.Pipelines;

/// <summary>A step's settings embedding a pipeline, as a step kind that runs one would declare them.</summary>
public sealed record PipelineStepSettings
{
    public AzureDevOpsPipelineSettings? Pipeline { get; init; }
}
