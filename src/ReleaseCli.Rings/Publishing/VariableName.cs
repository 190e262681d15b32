using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.Publishing;

/// <summary>The shape of an environment variable's name, as a publish step's settings name the variable that holds a secret.</summary>
public static partial class VariableName
{
    public static bool IsValid(string? name) => name is not null && Shape().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Shape();
}
