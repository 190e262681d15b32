using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Gates;

/// <summary>
/// The drop and BAR still match the sealed contract: every file present with its sealed size and
/// SHA-512, no file added, and every candidate build in BAR with the same commit and assets.
/// A changed drop is tampering (exit 5); a changed BAR means prep must be run again (exit 1).
/// </summary>
public sealed class ContractValidGate : IGateCheck
{
    public string Kind => "contract-valid";

    public string Summary => "the drop and BAR still match the sealed contract (every file's size and SHA-512; every build's commit and assets)";

    public bool DecidedByPeople => false;

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope) => GateRules.DecidedByCode(gate);

    public async Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Contract is null)
        {
            return GateResult.Failed("no contract has been sealed; run `release prep` first");
        }

        var contract = context.Contract.Contract;
        if (ForeignContract(contract, context.Definition) is { } foreign)
        {
            return GateResult.Tampered(foreign);
        }

        if (context.VerifiedAtEntry is null)
        {
            var dropProblems = await VerifyDropAsync(contract, context.DropPath, cancellationToken).ConfigureAwait(false);
            if (dropProblems.Count > 0)
            {
                return GateResult.Tampered($"the drop {context.DropPath} no longer matches the contract: {Summarize(dropProblems)}");
            }
        }

        var barProblems = await VerifyBarAsync(contract, context.Bar, cancellationToken).ConfigureAwait(false);
        if (barProblems.Count > 0)
        {
            return GateResult.Failed($"BAR no longer matches the contract (run `release prep --build {contract.RootBuildId}` again to seal a new one): {Summarize(barProblems)}");
        }

        return GateResult.Passed($"{contract.Assets.Count} file(s) match their SHA-512; {contract.Builds.Count} build(s) match BAR");
    }

    /// <summary>
    /// Why the contract is not this release's (a ledger and its contracts copied from another release would
    /// otherwise verify), or null when its release id, product and version are the definition's.
    /// </summary>
    public static string? ForeignContract(ReleaseContract contract, ReleaseDefinition definition) =>
        contract.ReleaseId != definition.ReleaseId || contract.Product != definition.Product || contract.Version != definition.Version
            ? $"the sealed contract is of release '{contract.ReleaseId}' ({contract.Product} {contract.Version}), not of '{definition.ReleaseId}' ({definition.Product} {definition.Version}) that the definition describes: the ledger and its contracts were copied from another release, or the definition was changed after sealing"
            : null;

    /// <summary>
    /// Every problem between the drop folder and the contract, sorted by path. Without <paramref name="hashFiles"/>,
    /// only what the folder says (every file there as a plain file of its sealed size, nothing added), for a drop
    /// whose bytes were hashed in this run already.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyDropAsync(ReleaseContract contract, string dropPath, CancellationToken cancellationToken, bool hashFiles = true)
    {
        var problems = new ConcurrentBag<string>();
        var assets = contract.Assets;
        var byPath = new Dictionary<string, int>(assets.Count, StringComparer.Ordinal);
        for (var i = 0; i < assets.Count; i++)
        {
            byPath.TryAdd(assets[i].DropPath, i);
        }

        // One walk, matched with the contract as it goes: a sealed file's size is noted by its index, with no path string
        // made for it, no list of every path held and no stat of it again; only what the contract lacks is named.
        var sizes = new long[assets.Count];
        Array.Fill(sizes, -1);
        var fullRoot = Path.GetFullPath(dropPath);
        if (Directory.Exists(dropPath))
        {
            foreach (var entry in DropPaths.Scan(dropPath, byPath.GetAlternateLookup<ReadOnlySpan<char>>()))
            {
                if (entry.Link)
                {
                    problems.Add($"{entry.Path} is a symbolic link (a drop holds plain files only)");
                }
                else if (entry.Known >= 0)
                {
                    sizes[entry.Known] = entry.Length;
                }
                else
                {
                    problems.Add($"{entry.Path} is not in the contract (added after sealing)");
                }
            }
        }

        await Parallel.ForEachAsync(
            Enumerable.Range(0, assets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = hashFiles ? Environment.ProcessorCount : 1, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var asset = assets[index];
                var size = sizes[byPath[asset.DropPath]];
                if (size < 0)
                {
                    // Not a plain file of the walk: a path that would leave the drop is refused here, as ever.
                    var path = DropPaths.Resolve(dropPath, asset.DropPath);
                    problems.Add(File.Exists(path) ? $"{asset.DropPath} is reached through a symbolic link" : $"{asset.DropPath} is missing");
                }
                else if (size != asset.Size)
                {
                    problems.Add($"{asset.DropPath} is {size} bytes, sealed as {asset.Size}");
                }
                else if (hashFiles && !string.Equals(await DropHasher.Sha512Async(Path.Join(fullRoot, asset.DropPath), ct).ConfigureAwait(false), asset.Sha512, StringComparison.OrdinalIgnoreCase))
                {
                    // Found by the walk under the drop, so its path is the file's own.
                    problems.Add($"{asset.DropPath} has a different SHA-512 than sealed");
                }
            }).ConfigureAwait(false);

        return [.. problems.Order(StringComparer.Ordinal)];
    }

    private static async Task<IReadOnlyList<string>> VerifyBarAsync(ReleaseContract contract, IBuildAssetRegistry bar, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var sealedBuild in contract.Builds)
        {
            var build = await bar.GetBuildAssetKeysAsync(sealedBuild.Id, cancellationToken).ConfigureAwait(false);
            if (build is null)
            {
                problems.Add($"build {sealedBuild.Id} is gone from {bar.Description}");
                continue;
            }

            if (!string.Equals(build.Commit, sealedBuild.Commit, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"build {build.Id} now has commit {build.Commit}, sealed {sealedBuild.Commit}");
            }

            // Compared as (name, version, shipping) without formatting a string per asset: at tens of thousands of
            // assets the strings were most of what the gate allocated, and their collection landed in the gate's time.
            // One table of the sealed keys, each marked when BAR has it: what BAR has that the table lacks is extra, what
            // is left unmarked is missing.
            var sealedKeys = new Dictionary<AssetKey, bool>(build.Assets.Count, AssetKeyComparer.Instance);
            foreach (var asset in contract.Assets)
            {
                if (asset.BuildId == build.Id)
                {
                    sealedKeys.TryAdd(new AssetKey(asset.Name, asset.Version, asset.Shipping), false);
                }
            }

            var extra = new HashSet<AssetKey>(AssetKeyComparer.Instance);
            foreach (var (name, version, nonShipping) in build.Assets)
            {
                if (nonShipping && !contract.IncludesNonShipping)
                {
                    continue;
                }

                var key = new AssetKey(name, version, !nonShipping);
                ref var found = ref CollectionsMarshal.GetValueRefOrNullRef(sealedKeys, key);
                if (Unsafe.IsNullRef(ref found))
                {
                    extra.Add(key);
                }
                else
                {
                    found = true;
                }
            }

            problems.AddRange(extra.Select(Describe).Order(StringComparer.Ordinal).Select(a => $"build {build.Id} has {a}, not in the contract"));
            problems.AddRange(sealedKeys.Where(k => !k.Value).Select(k => Describe(k.Key)).Order(StringComparer.Ordinal).Select(a => $"build {build.Id} no longer has {a}"));
        }

        return problems;
    }

    /// <summary>An asset as the gate compares BAR with the contract (a class: the table's code is the runtime's own, compiled ahead).</summary>
    private sealed record AssetKey(string Name, string Version, bool Shipping);

    private static string Describe(AssetKey asset) =>
        $"{asset.Name}@{asset.Version}{(asset.Shipping ? string.Empty : " (non-shipping)")}";

    /// <summary>BAR names and versions compare without regard to case, as NuGet ids and versions do.</summary>
    private sealed class AssetKeyComparer : IEqualityComparer<AssetKey>
    {
        public static readonly AssetKeyComparer Instance = new();

        public bool Equals(AssetKey? x, AssetKey? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Shipping == y.Shipping && StringComparer.OrdinalIgnoreCase.Equals(x.Name, y.Name) && StringComparer.OrdinalIgnoreCase.Equals(x.Version, y.Version));

        public int GetHashCode(AssetKey obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Name), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Version), obj.Shipping);
    }

    public static string Summarize(IReadOnlyList<string> problems) =>
        string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $"; and {problems.Count - 10} more" : string.Empty);
}
