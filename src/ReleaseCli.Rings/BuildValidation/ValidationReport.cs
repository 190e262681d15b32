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
    /// <summary>
    /// The SHA-512 of every file the checksum check read, by its display path (read as a map, lower-case hex); null when
    /// it did not run, or ran without keeping them.
    /// </summary>
    public FileDigests? Sha512 { get; init; }

    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);

    public CheckVerdict? For(ValidationCheck check) => Checks.FirstOrDefault(c => c.Check == check);

    public IEnumerable<Finding> FindingsOf(ValidationCheck check) => Findings.Where(f => f.Check == check);
}
