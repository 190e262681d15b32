namespace ReleaseCli.Rings.SourceValidation;

/// <summary>Whether findings fail a leg: those at a failing level that no allowlist entry covers.</summary>
public static class FindingVerdict
{
    public static IReadOnlyList<SdlFinding> Failing(IEnumerable<SdlFinding> findings, IReadOnlyCollection<SarifLevel> failOn) =>
        [.. findings.Where(f => f.Suppression is null && failOn.Contains(f.Level))];

    /// <summary>"2 errors, 1 warning" over the findings that count (none: "no findings").</summary>
    public static string Counts(IReadOnlyList<SdlFinding> findings)
    {
        var counted = findings.Where(f => f.Suppression is null).ToList();
        var parts = new[] { (SarifLevel.Error, "error"), (SarifLevel.Warning, "warning"), (SarifLevel.Note, "note") }
            .Select(l => (Count: counted.Count(f => f.Level == l.Item1), l.Item2))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {c.Item2}{(c.Count == 1 ? string.Empty : "s")}")
            .ToList();
        var suppressed = findings.Count - counted.Count;
        if (suppressed > 0)
        {
            parts.Add($"{suppressed} allowed");
        }

        return parts.Count == 0 ? "no findings" : string.Join(", ", parts);
    }

    /// <summary>The first failing findings as file:line (rule), for a leg's message.</summary>
    public static string Examples(IReadOnlyList<SdlFinding> failing, int max = 3) =>
        string.Join("; ", failing.Take(max).Select(f => $"{f.Where} ({f.RuleId})")) + (failing.Count > max ? $"; and {failing.Count - max} more" : string.Empty);
}
