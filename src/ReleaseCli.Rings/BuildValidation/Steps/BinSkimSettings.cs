namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The settings of a <c>binskim</c> step.</summary>
public sealed record BinSkimSettings : ValidationStepSettings
{
    /// <summary>The BinSkim executable, relative to the definition's folder; none: the check is not configured.</summary>
    public string? Path { get; init; }
}
