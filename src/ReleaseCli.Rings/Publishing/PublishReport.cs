namespace ReleaseCli.Rings.Publishing;

/// <summary>What a publish to one target did: items written, found already there, verified, and what was wrong.</summary>
public sealed record PublishReport(string Target, int Written, int AlreadyPresent, int Verified, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;

    public string Summary =>
        $"{Target}: {Written} written, {AlreadyPresent} already there, {Verified} verified{(Problems.Count == 0 ? string.Empty : $"; {Problems.Count} problem(s): {string.Join("; ", Problems.Take(5))}{(Problems.Count > 5 ? "; …" : string.Empty)}")}";
}
