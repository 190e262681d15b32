using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// The files a publish step reads: drop files of the sealed contract and recorded artifacts, each with the size and
/// SHA-512 already known (nothing is hashed again) and opened through a stream that checks those bytes at its end.
/// </summary>
public static class PublishInputs
{
    /// <summary>The contract's drop files whose drop path matches one of <paramref name="patterns"/> (shipping only, unless asked).</summary>
    public static IReadOnlyList<ContractAsset> DropFiles(StepContext context, IReadOnlyList<string> patterns, bool includeNonShipping, string settingName)
    {
        var assets = RequireContract(context).Assets.Where(a => includeNonShipping || a.Shipping).ToList();
        var chosen = new List<ContractAsset>();
        foreach (var pattern in patterns)
        {
            var glob = new DropGlob(pattern);
            var matched = assets.Where(a => glob.IsMatch(a.DropPath)).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.{settingName} '{pattern}' of step '{context.Step.Id}' matches no {(includeNonShipping ? string.Empty : "shipping ")}drop path in the contract; fix the pattern");
            }

            chosen.AddRange(matched.Where(m => !chosen.Contains(m)));
        }

        return chosen;
    }

    /// <summary>The recorded artifacts of a ring ("stage") or of one step of it ("stage/sign"), for the current contract.</summary>
    public static IReadOnlyList<RecordedArtifact> Artifacts(StepContext context, string source, string settingName)
    {
        var slash = source.IndexOf('/', StringComparison.Ordinal);
        var ring = slash < 0 ? source : source[..slash];
        var step = slash < 0 ? null : source[(slash + 1)..];
        var recorded = context.RequireArtifacts().Recorded;
        var matched = recorded.Where(a => a.Ring == ring && (step is null || a.Step == step)).DistinctBy(a => a.StorePath).ToList();
        return matched.Count > 0
            ? matched
            : throw new ReleaseException(ExitCode.Failed, $"settings.{settingName} '{source}' of step '{context.Step.Id}' names no recorded artifact (recorded: {(recorded.Count == 0 ? "none" : string.Join(", ", recorded.Select(a => $"{a.Ring}/{a.Step}").Distinct()))}); run that ring first, or fix the name");
    }

    /// <summary>Opens a drop file, checking at the end of its bytes that they are the ones sealed in the contract.</summary>
    public static Func<CancellationToken, Task<Stream>> OpenDropFile(StepContext context, ContractAsset asset) => _ =>
    {
        var path = DropPaths.Resolve(context.DropPath, asset.DropPath);
        Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<Stream>(new VerifyingReadStream(file, new ArtifactEntry(asset.DropPath, asset.Size, asset.Sha512), path));
    };

    /// <summary>Opens a recorded artifact (verified while read).</summary>
    public static Func<CancellationToken, Task<Stream>> OpenArtifact(StepContext context, RecordedArtifact artifact) =>
        ct => context.RequireArtifacts().OpenReadAsync(artifact.Ring, artifact.Entry.Name, ct);

    public static ReleaseContract RequireContract(StepContext context) =>
        context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' publishes the files of the sealed contract; run `release prep` first");
}
