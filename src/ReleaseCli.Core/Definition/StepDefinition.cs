using System.Text.Json;

namespace ReleaseCli.Core.Definition;

/// <summary>A step of a ring: which catalogue step runs, after which others, with which settings.</summary>
public sealed record StepDefinition(string Id, string Kind, IReadOnlyList<string> DependsOn, JsonElement Settings)
{
    /// <summary>How the ring waits while the step is pending on something outside.</summary>
    public StepWait Wait { get; init; } = StepWait.Default;
}
