using System.Reflection.Metadata;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.BuildValidation.SourceLink;

/// <summary>
/// Checks a portable PDB's SourceLink: present, every non-generated document mapped, and every URL
/// pointing at the expected repository and commit when they are known.
/// </summary>
public static partial class SourceLinkChecker
{
    public static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    public static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    /// <summary>Finds problems; <paramref name="urls"/> receives every mapped URL (for online checks).</summary>
    public static IReadOnlyList<(string RuleId, string Message)> Check(MetadataReader pdb, string? repository, string? commit, ICollection<string>? urls = null)
    {
        var problems = new List<(string, string)>();
        byte[]? json = null;
        foreach (var handle in pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var info = pdb.GetCustomDebugInformation(handle);
            if (pdb.GetGuid(info.Kind) == SourceLinkKind)
            {
                json = pdb.GetBlobBytes(info.Value);
            }
        }

        if (json is null)
        {
            return [(RuleIds.SourceLinkMissing, "the PDB has no SourceLink information; build with SourceLink (Microsoft.SourceLink.* or the .NET SDK's built-in support) so debuggers can fetch the sources")];
        }

        SourceLinkMap map;
        try
        {
            map = SourceLinkMap.Parse(json);
        }
        catch (JsonException ex)
        {
            return [(RuleIds.SourceLinkMissing, $"the PDB's SourceLink JSON cannot be read: {ex.Message}")];
        }

        var unmapped = new List<string>();
        var wrong = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var documentHandle in pdb.Documents)
        {
            var document = pdb.GetDocument(documentHandle);
            var path = pdb.GetString(document.Name);
            if (IsGenerated(path) || HasEmbeddedSource(pdb, documentHandle))
            {
                continue;
            }

            var url = map.Map(path);
            if (url is null)
            {
                unmapped.Add(path);
                continue;
            }

            urls?.Add(url);

            // A source package's files are its repository's, mapped there by the package itself: over https, at its commit.
            if (repository is not null && commit is not null && (IsFromSourcePackage(path) ? !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) : !PointsAt(url, repository, commit)))
            {
                wrong.Add(url);
            }
        }

        if (unmapped.Count > 0)
        {
            problems.Add((RuleIds.SourceLinkUnmapped, $"{unmapped.Count} source document(s) are not mapped by SourceLink, e.g. {string.Join(", ", unmapped.Take(3))}; add their folder to the SourceRoot items or embed them (EmbedUntrackedSources)"));
        }

        if (wrong.Count > 0)
        {
            problems.Add((RuleIds.SourceLinkWrongCommit, $"{wrong.Count} SourceLink URL(s) do not point at {repository} at commit {commit}, e.g. {wrong.First()}; the PDB was built from another repository or commit than BAR records for this build"));
        }

        return problems;
    }

    /// <summary>
    /// Whether a URL is the repository's content at the commit, over https (a debugger fetches the sources
    /// from it): GitHub raw URLs, Azure Repos item URLs, or for another host a path under the repository
    /// with the commit as a whole segment or query value; for an internal mirror, the public repository
    /// too (<see cref="SourceRepository"/>).
    /// </summary>
    public static bool PointsAt(string url, string repository, string commit) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && SourceRepository.Names(repository).Any(r => PointsAt(uri, r.Host, r.Path, commit));

    private static bool PointsAt(Uri uri, string repoHost, string repoPath, string commit)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        if (string.Equals(repoHost, "github.com", StringComparison.OrdinalIgnoreCase))
        {
            return (string.Equals(uri.Host, "raw.githubusercontent.com", StringComparison.OrdinalIgnoreCase) && path.StartsWith($"/{repoPath}/{commit}/", StringComparison.OrdinalIgnoreCase))
                || (string.Equals(uri.Host, "github.com", StringComparison.OrdinalIgnoreCase) && path.StartsWith($"/{repoPath}/raw/{commit}/", StringComparison.OrdinalIgnoreCase));
        }

        if (!string.Equals(uri.Host, repoHost, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var git = repoPath.IndexOf("/_git/", StringComparison.OrdinalIgnoreCase);
        if (git >= 0)
        {
            // Azure Repos: {collection/project}/_git/{name} is served as {collection/project}/_apis/git/repositories/{name}/items?…&version={commit}.
            var items = $"/{repoPath[..git]}/_apis/git/repositories/{repoPath[(git + "/_git/".Length)..]}/items";
            return string.Equals(path.TrimEnd('/'), items, StringComparison.OrdinalIgnoreCase)
                && string.Equals(query["version"], commit, StringComparison.OrdinalIgnoreCase)
                && query["versionType"] is null or "commit" or "Commit";
        }

        return path.StartsWith($"/{repoPath}/", StringComparison.OrdinalIgnoreCase)
            && (path[(repoPath.Length + 2)..].Split('/').Contains(commit, StringComparer.OrdinalIgnoreCase)
                || query.AllKeys.Any(k => string.Equals(query[k], commit, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A file of a source package, compiled from a NuGet package folder: <c>…/&lt;id&gt;/&lt;version&gt;/contentFiles/&lt;language&gt;/&lt;framework&gt;/…</c>.</summary>
    private static bool IsFromSourcePackage(string path) => SourcePackageFile().IsMatch(path.Replace('\\', '/'));

    [GeneratedRegex("/[^/]+/[^/]+/contentFiles/[^/]+/[^/]+/", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SourcePackageFile();

    private static bool IsGenerated(string path)
    {
        var normalized = path.Replace('\\', '/');
        return normalized.Contains("/obj/", StringComparison.OrdinalIgnoreCase)
            || normalized.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase)
            || normalized.EndsWith(".g.i.cs", StringComparison.OrdinalIgnoreCase)
            || normalized.StartsWith('<')
            || !(normalized.StartsWith('/') || (normalized.Length > 2 && normalized[1] == ':'));
    }

    private static bool HasEmbeddedSource(MetadataReader pdb, DocumentHandle document)
    {
        foreach (var handle in pdb.GetCustomDebugInformation(document))
        {
            if (pdb.GetGuid(pdb.GetCustomDebugInformation(handle).Kind) == EmbeddedSourceKind)
            {
                return true;
            }
        }

        return false;
    }
}
