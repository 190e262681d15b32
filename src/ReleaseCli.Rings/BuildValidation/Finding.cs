namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// One thing a check found. <paramref name="File"/> is the file as given (drop path or input path);
/// <paramref name="VirtualPath"/> goes on into containers (<c>pkg.nupkg/lib/net8.0/x.dll</c>).
/// The message says what is wrong and what to do about it.
/// </summary>
public sealed record Finding(string RuleId, FindingSeverity Severity, ValidationCheck Check, string File, string VirtualPath, string Message);
