namespace ReleaseCli.Rings.BuildValidation;

/// <summary>One check's result in a pass: whether it ran, what it looked at, and how many findings of each severity.</summary>
public sealed record CheckVerdict(ValidationCheck Check, CheckState State, int Checked, int Errors, int Warnings, string Summary);
