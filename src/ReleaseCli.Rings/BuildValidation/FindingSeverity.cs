namespace ReleaseCli.Rings.BuildValidation;

/// <summary>How much a finding matters: errors fail the check, warnings and notes do not.</summary>
public enum FindingSeverity
{
    Error,
    Warning,
    Note,
}
