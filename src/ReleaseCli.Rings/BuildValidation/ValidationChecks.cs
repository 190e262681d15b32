using System.Text.Json;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>The names of the checks as users write them (<c>--checks signing,symbols</c>).</summary>
public static class ValidationChecks
{
    public static readonly IReadOnlyList<ValidationCheck> All = Enum.GetValues<ValidationCheck>();

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
