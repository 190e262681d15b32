namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The settings of a <c>sourcelink-validation</c> step.</summary>
public sealed record SourceLinkValidationSettings : ValidationStepSettings
{
    /// <summary>Also request every distinct SourceLink URL.</summary>
    public bool Online { get; init; }
}
