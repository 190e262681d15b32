using System.Text.Json;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>The names of the checks as users write them (<c>--checks signing,symbols</c>).</summary>
public static class ValidationChecks
{
    public static readonly IReadOnlyList<ValidationCheck> All = Enum.GetValues<ValidationCheck>();

    /// <summary>
    /// The checks whose findings about a file depend on that file alone (a checksum sidecar travels with its file),
    /// so that a drop can be validated in slices (<c>validate-build --shard i/n</c>). Symbols match PDBs to PE files
    /// across the drop, and the asset check compares the whole drop with BAR: they run once, in the final run.
    /// </summary>
    public static readonly IReadOnlySet<ValidationCheck> PerFile = new HashSet<ValidationCheck>
    {
        ValidationCheck.Signing, ValidationCheck.Packages, ValidationCheck.SourceLink, ValidationCheck.Checksum, ValidationCheck.BinSkim,
    };

    public static string Name(ValidationCheck check) => check switch
    {
        ValidationCheck.SourceLink => "sourcelink",
        ValidationCheck.BinSkim => "binskim",
        _ => check.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string name, out ValidationCheck check)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                check = candidate;
                return true;
            }
        }

        check = default;
        return false;
    }

    public static string Names => string.Join(", ", All.Select(Name));

    /// <summary>How a check's state is written in JSON and SARIF (<c>notConfigured</c>, <c>nothingToCheck</c>).</summary>
    public static string StateName(CheckState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    /// <summary>How a check's state reads in text (<c>not configured</c>, <c>nothing to check</c>).</summary>
    public static string StateText(CheckState state) => JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString()).Replace('_', ' ');
}
