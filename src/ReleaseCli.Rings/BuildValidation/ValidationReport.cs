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
    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);

    public CheckVerdict? For(ValidationCheck check) => Checks.FirstOrDefault(c => c.Check == check);

    public IEnumerable<Finding> FindingsOf(ValidationCheck check) => Findings.Where(f => f.Check == check);
}
