namespace ReleaseCli.Core.Definition;

/// <summary>The release definition (<c>release.json</c>), validated.</summary>
public sealed record ReleaseDefinition
{
    /// <summary>The full path of the file it was loaded from; relative paths in it resolve against its folder.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The release's id: names its folder in the store and its lock.</summary>
    public required string ReleaseId { get; init; }

    public required string Product { get; init; }

    public required string Version { get; init; }

    public required VersionRules VersionRules { get; init; }

    public required BarSettings Bar { get; init; }

    public required StoreSettings Store { get; init; }

    /// <summary>How decisions and ring runs prove who made them (<c>$.identity</c>).</summary>
    public IdentitySettings Identity { get; init; } = IdentitySettings.Unverified;

    /// <summary>Where prep gathers the drop; null means the release's folder in the store.</summary>
    public string? DropPath { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; }

    /// <summary>The day the release ships (<c>releaseDate</c>): archive timestamps, notes and metadata carry it.</summary>
    public DateOnly? ReleaseDate { get; init; }

    /// <summary>The vulnerabilities the release fixes (<c>cves</c>); none makes it a non-security release.</summary>
    public IReadOnlyList<CveReference> Cves { get; init; } = [];

    /// <summary>The https folder the release's files are downloaded from (<c>downloadBaseUrl</c>), without a trailing slash.</summary>
    public string? DownloadBaseUrl { get; init; }

    /// <summary>The five rings, keyed by <see cref="RingName"/>.</summary>
    public required IReadOnlyDictionary<string, RingDefinition> Rings { get; init; }

    /// <summary>
    /// The SHA-256 of the definition file's bytes as loaded (null for a definition built in code): a ring promoted
    /// under the same definition, by the same tool, has nothing to do again.
    /// </summary>
    public string? SourceDigest { get; init; }

    /// <summary>
    /// False for a definition loaded without binding its steps' settings
    /// (<see cref="ReleaseDefinitionLoader.LoadWithoutStepSettings"/>): no step of it may run until they are checked.
    /// </summary>
    public bool StepSettingsChecked { get; init; } = true;

    public string BaseDirectory => Path.GetDirectoryName(SourcePath) ?? Directory.GetCurrentDirectory();

    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>The release date, or a usage error naming <c>$.releaseDate</c> for <paramref name="user"/> (a step that needs it).</summary>
    public DateOnly RequireReleaseDate(string user) =>
        ReleaseDate ?? throw ReleaseException.Usage($"{user} needs the release date: add \"releaseDate\": \"yyyy-MM-dd\" at the top level of {SourcePath} ($.releaseDate)");

    /// <summary>The download base URL, or a usage error naming <c>$.downloadBaseUrl</c> for <paramref name="user"/>.</summary>
    public string RequireDownloadBaseUrl(string user) =>
        DownloadBaseUrl ?? throw ReleaseException.Usage($"{user} needs the URL the files are downloaded from: add \"downloadBaseUrl\": \"https://…\" at the top level of {SourcePath} ($.downloadBaseUrl)");

    /// <summary>
    /// Expands people and <c>group:name</c> references into the set of people (case-insensitive).
    /// </summary>
    public IReadOnlySet<string> ExpandPrincipals(IEnumerable<string> principals) => ExpandPrincipals(Groups, principals);

    /// <summary>
    /// Expands people and <c>group:name</c> references, through groups that include groups, into the set of people
    /// (case-insensitive). Each group is expanded once, so a cycle (which the loader refuses) cannot loop.
    /// </summary>
    public static IReadOnlySet<string> ExpandPrincipals(IReadOnlyDictionary<string, IReadOnlyList<string>> groups, IEnumerable<string> principals)
    {
        var people = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(principals.Reverse());
        while (pending.TryPop(out var principal))
        {
            if (!principal.StartsWith(GroupPrefix, StringComparison.Ordinal))
            {
                people.Add(principal);
            }
            else if (expanded.Add(principal) && groups.TryGetValue(principal[GroupPrefix.Length..], out var members))
            {
                foreach (var member in members)
                {
                    pending.Push(member);
                }
            }
        }

        return people;
    }

    public const string GroupPrefix = "group:";
}
