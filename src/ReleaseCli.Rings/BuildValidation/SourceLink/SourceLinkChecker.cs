using System.Reflection.Metadata;
using System.Text.Json;

namespace ReleaseCli.Rings.BuildValidation.SourceLink;

/// <summary>
/// Checks a portable PDB's SourceLink: present, every non-generated document mapped, and every URL
/// pointing at the expected repository and commit when they are known.
/// </summary>
public static class SourceLinkChecker
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
            if (repository is not null && commit is not null && !PointsAt(url, repository, commit))
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

    /// <summary>Whether a URL is the repository's content at the commit (GitHub raw URLs, Azure DevOps item URLs, or any URL naming both).</summary>
    public static bool PointsAt(string url, string repository, string commit)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !Uri.TryCreate(repository.TrimEnd('/'), UriKind.Absolute, out var repo))
        {
            return false;
        }

        var repoPath = repo.AbsolutePath.Trim('/');
        if (repoPath.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            repoPath = repoPath[..^4];
        }

        if (string.Equals(repo.Host, "github.com", StringComparison.OrdinalIgnoreCase))
        {
            var expected = $"/{repoPath}/{commit}/";
            return (string.Equals(uri.Host, "raw.githubusercontent.com", StringComparison.OrdinalIgnoreCase) && uri.AbsolutePath.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
                || (string.Equals(uri.Host, "github.com", StringComparison.OrdinalIgnoreCase) && uri.AbsolutePath.StartsWith($"/{repoPath}/raw/{commit}/", StringComparison.OrdinalIgnoreCase));
        }

        var repoName = repoPath.Split('/')[^1];
        return string.Equals(uri.Host, repo.Host, StringComparison.OrdinalIgnoreCase)
            && url.Contains(repoName, StringComparison.OrdinalIgnoreCase)
            && url.Contains(commit, StringComparison.OrdinalIgnoreCase);
    }

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
