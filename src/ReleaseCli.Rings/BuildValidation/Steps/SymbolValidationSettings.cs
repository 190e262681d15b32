namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The settings of a <c>symbol-validation</c> step.</summary>
public sealed record SymbolValidationSettings : ValidationStepSettings
{
    /// <summary>An SSQP symbol server asked for PDBs neither in the drop nor embedded (https, or http to this machine); none: not asked.</summary>
    public string? SymbolServer { get; init; }
}
