namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// One result of a scanner in a leg: the rule, its SARIF level, the file (relative to the repository's root,
/// '/' separated) and line, and why it was waved through when an allowlist entry covers it.
/// </summary>
public sealed record SdlFinding(string RuleId, SarifLevel Level, string Message, string? File, int? Line)
{
    /// <summary>The allowlist entry's reason, when one covers this finding (it then fails nothing).</summary>
    public string? Suppression { get; init; }

    public string Where => File is null ? "(no file)" : Line is { } line ? $"{File}:{line}" : File;
}
