using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Where a step puts the files it makes, beside the sealed drop. A file is streamed in (never held whole in
/// memory), hashed on the way, then recorded in the ledger with its size and SHA-512 and the step that made
/// it. A recorded artifact never changes: writing it again with other bytes is refused; reading it is verified.
/// Artifacts are kept per contract, so a new candidate starts with an empty area.
/// </summary>
public sealed class ArtifactArea
{
    private readonly IReleaseStore _store;
    private readonly string _releaseId;
    private readonly string _contractDigest;
    private readonly string _ring;
    private readonly string _step;
    private readonly Func<ArtifactEntry, CancellationToken, Task> _record;
    private readonly Func<IReadOnlyList<RecordedArtifact>> _recorded;

    internal ArtifactArea(IReleaseStore store, string releaseId, string contractDigest, string ring, string step, Func<ArtifactEntry, CancellationToken, Task> record, Func<IReadOnlyList<RecordedArtifact>> recorded)
    {
        _store = store;
        _releaseId = releaseId;
        _contractDigest = contractDigest;
        _ring = ring;
        _step = step;
        _record = record;
        _recorded = recorded;
    }

    /// <summary>Every artifact recorded for the current contract, by all rings so far (this run's included).</summary>
    public IReadOnlyList<RecordedArtifact> Recorded => _recorded();

    /// <summary>Where the artifacts of <paramref name="contractDigest"/> made in <paramref name="ring"/> live in the store.</summary>
    public static string StorePath(string contractDigest, string ring, string name) =>
        $"{ContractFolder(contractDigest)}/{ring}/{name}";

    private static string ContractFolder(string contractDigest)
    {
        var hex = contractDigest.Replace("sha256:", string.Empty, StringComparison.Ordinal);
        return hex[..Math.Min(16, hex.Length)];
    }

    /// <summary>
    /// Writes the artifact <paramref name="name"/> (a relative path, '/' separated) of this step's ring by
    /// streaming into <paramref name="write"/>'s stream, and records it. The same bytes again are fine
    /// (a re-run of a deterministic step); other bytes under a recorded name are refused.
    /// </summary>
    public async Task<ArtifactEntry> WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (DropPaths.Check(name) is { } problem)
        {
            throw new InvalidOperationException($"The artifact name '{name}' cannot be used: {problem}.");
        }

        var path = StorePath(_contractDigest, _ring, name);
        var earlier = Recorded.FirstOrDefault(a => a.StorePath == path);
        await using var staged = await _store.StageArtifactAsync(_releaseId, path, write, cancellationToken).ConfigureAwait(false);
        var entry = new ArtifactEntry(name, staged.Size, staged.Sha512);
        if (earlier is not null)
        {
            if (earlier.Entry.Sha512 != entry.Sha512 || earlier.Entry.Size != entry.Size)
            {
                throw new ReleaseException(ExitCode.Failed, $"the artifact {_ring}/{name} was recorded earlier by step '{earlier.Step}' ({earlier.Entry.Size} bytes, SHA-512 {earlier.Entry.Sha512[..16]}…) and is immutable; step '{_step}' made {entry.Size} bytes with SHA-512 {entry.Sha512[..16]}… (a step that makes an artifact must make the same bytes from the same input)");
            }

            return earlier.Entry;
        }

        await staged.CommitAsync(cancellationToken).ConfigureAwait(false);
        await _record(entry, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Writes an artifact by copying a file.</summary>
    public Task<ArtifactEntry> WriteFileAsync(string name, string sourcePath, CancellationToken cancellationToken) =>
        WriteAsync(name, async (target, ct) =>
        {
            await using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await source.CopyToAsync(target, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Opens a recorded artifact of <paramref name="ring"/>; the stream throws an integrity error at its end
    /// if the bytes are not the ones recorded.
    /// </summary>
    public async Task<Stream> OpenReadAsync(string ring, string name, CancellationToken cancellationToken)
    {
        var path = StorePath(_contractDigest, ring, name);
        var recorded = Recorded.FirstOrDefault(a => a.StorePath == path)
            ?? throw new ReleaseException(ExitCode.Failed, $"no artifact {ring}/{name} is recorded for this contract; artifacts here: {Describe(Recorded)}");
        var stream = await _store.OpenArtifactAsync(_releaseId, path, cancellationToken).ConfigureAwait(false)
            ?? throw ReleaseException.Integrity($"the artifact {ring}/{name} recorded by step '{recorded.Step}' is missing from {_store.DescribeArtifact(_releaseId, path)}");
        return new VerifyingReadStream(stream, recorded.Entry, _store.DescribeArtifact(_releaseId, path));
    }

    /// <summary>Re-hashes every recorded artifact of the current contract; the problems found, sorted.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(IReleaseStore store, string releaseId, IReadOnlyList<RecordedArtifact> artifacts, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var artifact in artifacts)
        {
            var stream = await store.OpenArtifactAsync(releaseId, artifact.StorePath, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                problems.Add($"artifact {artifact.Ring}/{artifact.Entry.Name} is missing");
                continue;
            }

            // The same check every read of an artifact gets: read to the end, compared with its record there.
            await using var verifying = new VerifyingReadStream(stream, artifact.Entry, store.DescribeArtifact(releaseId, artifact.StorePath));
            try
            {
                await verifying.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            catch (ReleaseException ex) when (ex.ExitCode == ExitCode.IntegrityViolation)
            {
                problems.Add($"artifact {artifact.Ring}/{artifact.Entry.Name} (made by step '{artifact.Step}'): {ex.Message}");
            }
        }

        return [.. problems.Order(StringComparer.Ordinal)];
    }

    /// <summary>One digest over every recorded artifact (ring, name, SHA-512), in order; null when there are none.</summary>
    public static string? DigestOf(IEnumerable<RecordedArtifact> artifacts)
    {
        var lines = artifacts.Select(a => $"{a.Ring}/{a.Entry.Name} {a.Entry.Size} {a.Entry.Sha512}").Order(StringComparer.Ordinal).ToList();
        return lines.Count == 0 ? null : Digest.OfText(string.Join('\n', lines));
    }

    private static string Describe(IReadOnlyList<RecordedArtifact> artifacts) =>
        artifacts.Count == 0 ? "none" : string.Join(", ", artifacts.Select(a => $"{a.Ring}/{a.Entry.Name}"));
}
