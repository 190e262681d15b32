using ReleaseCli.Core.Bar;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// The candidate: the root build plus every build reachable through product dependencies
/// (toolset dependencies are not part of the product, unless asked). Builds already released are left out unless asked.
/// </summary>
public static class CandidateResolver
{
    public static async Task<Candidate> ResolveAsync(IBuildAssetRegistry bar, BarBuild root, bool includeReleased, CancellationToken cancellationToken, bool includeToolset = false)
    {
        var builds = new List<BarBuild> { root };
        var seen = new HashSet<int> { root.Id };
        var queue = new Queue<BarBuild>([root]);
        while (queue.Count > 0)
        {
            var build = queue.Dequeue();
            var dependencies = build.Dependencies.Where(d => (d.IsProduct || includeToolset) && seen.Add(d.BuildId)).ToList();
            var fetched = await Task.WhenAll(dependencies.Select(async d =>
                await bar.GetBuildAsync(d.BuildId, cancellationToken).ConfigureAwait(false)
                ?? throw ReleaseException.Usage($"Build {build.Id} depends on build {d.BuildId}, which is not in {bar.Description}."))).ConfigureAwait(false);
            foreach (var dependency in fetched)
            {
                if (dependency.Released && !includeReleased)
                {
                    continue;
                }

                builds.Add(dependency);
                queue.Enqueue(dependency);
            }
        }

        return new Candidate(root, builds);
    }
}
