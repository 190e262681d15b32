using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Pipelines;

/// <summary>Whether a pipeline run has concluded; written by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PipelineRunState>))]
public enum PipelineRunState
{
    /// <summary>Queued, running, or being canceled: poll again later.</summary>
    InProgress,

    /// <summary>Finished; <see cref="PipelineRun.Result"/> says how.</summary>
    Completed,
}
