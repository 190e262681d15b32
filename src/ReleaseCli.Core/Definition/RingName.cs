namespace ReleaseCli.Core.Definition;

/// <summary>The five rings, in the order a release goes through them.</summary>
public static class RingName
{
    public const string Prep = "prep";
    public const string ValidateSource = "validate-source";
    public const string ValidateBuild = "validate-build";
    public const string Stage = "stage";
    public const string Publish = "publish";

    public static IReadOnlyList<string> All { get; } = [Prep, ValidateSource, ValidateBuild, Stage, Publish];

    /// <summary>The ring that must be promoted before <paramref name="ring"/> may start; null for prep.</summary>
    public static string? Previous(string ring)
    {
        var index = IndexOf(ring);
        return index > 0 ? All[index - 1] : null;
    }

    public static int IndexOf(string ring)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == ring)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{ring}' is not a ring.", nameof(ring));
    }
}
