namespace ReleaseCli.Rings.BuildValidation;

/// <summary>The outcome of one pass over a set of files.</summary>
public sealed record ValidationReport(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<CheckVerdict> Checks,
    int Files,
    long Entries,
    long Bytes,
    TimeSpan Elapsed)
{
    /// <summary>The SHA-512 (lower-case hex) of every file the checksum check read, by its display path; null when it did not run.</summary>
    public IReadOnlyDictionary<string, string>? Sha512 { get; init; }

    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);

    public CheckVerdict? For(ValidationCheck check) => Checks.FirstOrDefault(c => c.Check == check);

    public IEnumerable<Finding> FindingsOf(ValidationCheck check) => Findings.Where(f => f.Check == check);
}
