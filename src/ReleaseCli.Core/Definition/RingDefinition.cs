namespace ReleaseCli.Core.Definition;

/// <summary>One ring: where builds come from and go to, its steps and its promotion gates.</summary>
public sealed record RingDefinition
{
    public required string Name { get; init; }

    /// <summary>The channel a build must be in to enter the ring.</summary>
    public required string SourceChannel { get; init; }

    /// <summary>The channel the candidate is promoted to; null only for publish (the build is marked released).</summary>
    public string? TargetChannel { get; init; }

    /// <summary>People and groups who may override a failed step or entry check of this ring.</summary>
    public required IReadOnlyList<string> Overriders { get; init; }

    /// <summary>
    /// Whoever started a run of the ring may override that run's failed steps, legs and gates only when this is
    /// true (<c>allowSelfOverride</c>); by default another overrider must.
    /// </summary>
    public bool AllowSelfOverride { get; init; }

    public required IReadOnlyList<StepDefinition> Steps { get; init; }

    public required IReadOnlyList<GateDefinition> Gates { get; init; }
}
