namespace ReleaseCli.Rings.SourceValidation;

/// <summary>A local leg's folders: the checked-out commit, the scanners' results and the programs' logs.</summary>
public sealed record LegWorkspace(string Source, string Results, string Logs)
{
    public static LegWorkspace Under(string folder) =>
        new(Path.Combine(folder, "source"), Path.Combine(folder, "results"), Path.Combine(folder, "logs"));
}
