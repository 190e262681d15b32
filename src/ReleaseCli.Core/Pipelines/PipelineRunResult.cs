using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Pipelines;

/// <summary>How a pipeline run ended (Azure DevOps' <c>result</c>); written by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PipelineRunResult>))]
public enum PipelineRunResult
{
    /// <summary>The run has not completed, so it has no result yet.</summary>
    None,

    Succeeded,

    /// <summary>Completed with failures that the pipeline let through (tasks with continueOnError).</summary>
    PartiallySucceeded,

    Failed,

    Canceled,

    /// <summary>Completed, but the service gave a result this tool does not know; never counted as success.</summary>
    Unknown,
}
