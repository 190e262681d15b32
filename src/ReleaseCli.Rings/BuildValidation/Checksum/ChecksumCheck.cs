using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ReleaseCli.Rings.BuildValidation.Checksum;

/// <summary>
/// The checksum check: each drop file's size and SHA-512 against what the contract sealed, and each
/// <c>.sha512</c> sidecar against the file it describes. Files are hashed as the walker reads them;
/// sidecars are matched once every file has been hashed.
/// </summary>
/// <param name="keepOnly">
/// The files whose SHA-512 is kept for after the walk: those a sidecar describes. Null: every file's (for the report).
/// </param>
internal sealed class ChecksumCheck(IReadOnlySet<string>? keepOnly = null) : DropCheck
{
    // A sidecar holds one hash and a file name; anything larger is not one.
    private const int MaxSidecarBytes = 4096;

    private readonly FileDigests _digests = new();
    private readonly ConcurrentBag<(ValidationItem Item, byte[] Content)> _sidecars = [];
    private int _hashed;

    public override ValidationCheck Check => ValidationCheck.Checksum;

    protected override string CountedThings => "file(s) and sidecar(s)";

    protected override string Scope => "a file whose checksum a release's contract sealed, or a .sha512 sidecar file";

    /// <summary>Every drop file; nothing inside one.</summary>
    public override bool NeedsContent(ValidationItem item, ItemKind kind, long length) => item.Parents.Count == 0;

    /// <summary>A file's checksum is of its bytes, whatever they hold.</summary>
    public override bool LooksInsideContainers => false;

    public override ValueTask InspectAsync(ItemContent content, CancellationToken cancellationToken)
    {
        if (content.Stream is not PooledBufferStream buffer)
        {
            return InspectStreamAsync(content, cancellationToken);
        }

        // A file held in memory is hashed into a digest on the stack: nothing is allocated for it here.
        Span<byte> sha512 = stackalloc byte[FileDigests.DigestBytes];
        SHA512.HashData(buffer.Contents, sha512);
        Record(content, sha512);
        return ValueTask.CompletedTask;
    }

    private async ValueTask InspectStreamAsync(ItemContent content, CancellationToken cancellationToken)
    {
        content.Stream.Position = 0;
        var sha512 = await SHA512.HashDataAsync(content.Stream, cancellationToken).ConfigureAwait(false);
        Record(content, sha512);
    }

    /// <summary>
    /// Hashes <paramref name="contents"/>, all the bytes of the drop file <paramref name="file"/>, which neither a contract
    /// sealed nor is a sidecar: it has nothing to be compared with now, and its digest is kept as any file's.
    /// </summary>
    public void Hashed(string file, ReadOnlySpan<byte> contents)
    {
        Span<byte> sha512 = stackalloc byte[FileDigests.DigestBytes];
        SHA512.HashData(contents, sha512);
        Keep(file, sha512);
    }

    /// <summary>Counts a hashed drop file, and keeps its digest if it is to be reported or compared later.</summary>
    private void Keep(string file, ReadOnlySpan<byte> sha512)
    {
        Interlocked.Increment(ref _hashed);
        if (keepOnly is null || keepOnly.Contains(file))
        {
            _digests.Add(file, sha512);
        }
    }

    /// <summary>Keeps the digest of a drop file if it is to be reported or compared later, and compares it with the contract's.</summary>
    private void Record(ItemContent content, ReadOnlySpan<byte> sha512)
    {
        var item = content.Item;
        var stream = content.Stream;
        Keep(item.File, sha512);

        if (item.Asset is { } asset)
        {
            Count();
            Span<char> hex = stackalloc char[FileDigests.DigestBytes * 2];
            Convert.TryToHexStringLower(sha512, hex, out _);
            if (stream.Length != asset.Size || !hex.Equals(asset.Sha512, StringComparison.OrdinalIgnoreCase))
            {
                Report(item.Finding(RuleIds.ChecksumMismatch, FindingSeverity.Error, Check, $"the file is {stream.Length} bytes with SHA-512 {hex[..16]}…, but the contract sealed {asset.Size} bytes with SHA-512 {asset.Sha512[..Math.Min(16, asset.Sha512.Length)]}…; the drop changed after prep: gather it again with `release prep`"));
            }
        }

        if (content.Kind == ItemKind.Checksum && stream.Length <= MaxSidecarBytes)
        {
            var text = new byte[stream.Length];
            stream.Position = 0;
            stream.ReadExactly(text);
            _sidecars.Add((item, text));
        }
    }

    public override FileDigests? ComputedSha512 => keepOnly is null ? _digests : null;

    /// <summary>The files a <c>.sha512</c> sidecar among <paramref name="inputs"/> describes.</summary>
    public static IReadOnlySet<string> SidecarTargets(IEnumerable<ValidationInput> inputs) =>
        inputs.Select(i => i.DisplayPath).Where(p => p.EndsWith(".sha512", StringComparison.OrdinalIgnoreCase)).Select(p => p[..^".sha512".Length]).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Files with neither a sealed checksum nor a sidecar were still read and hashed: the verdict says so (the
    /// hashes are in the report), rather than that there was nothing to check.
    /// </summary>
    public override CheckVerdict Verdict(IReadOnlyList<Finding> findings, int files)
    {
        var (errors, warnings) = Tally(findings);
        var hashed = Volatile.Read(ref _hashed);
        if (Checked == 0 && errors == 0 && hashed > 0)
        {
            var summary = $"computed the SHA-512 of {hashed} file(s); none has a sealed checksum or a .sha512 sidecar to compare it with";
            return new CheckVerdict(Check, CheckState.Passed, hashed, 0, warnings, warnings > 0 ? $"{summary}; {warnings} warning(s)" : summary);
        }

        return base.Verdict(findings, files);
    }

    public override Task SettleAsync(IReadOnlyList<ValidationInput> inputs, CancellationToken cancellationToken)
    {
        var byDisplay = inputs.Select(i => i.DisplayPath).ToHashSet(StringComparer.Ordinal);
        foreach (var (item, content) in _sidecars)
        {
            Count();
            var target = item.File[..^".sha512".Length];
            var text = Encoding.UTF8.GetString(content).Trim();
            var hex = text.Split([' ', '\t', '\n', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            if (hex.Length != 128 || !hex.All(char.IsAsciiHexDigit))
            {
                Report(item.Finding(RuleIds.ChecksumSidecarUnreadable, FindingSeverity.Error, Check, "the file does not start with a 128-digit hexadecimal SHA-512; regenerate it (e.g. `sha512sum FILE > FILE.sha512`)"));
                continue;
            }

            if (!_digests.TryGetDigest(target, out var digest))
            {
                if (!byDisplay.Contains(target))
                {
                    Report(item.Finding(RuleIds.ChecksumSidecarUnreadable, FindingSeverity.Error, Check, $"it describes {target}, which is not among the files checked; remove it or add the file"));
                }

                continue;
            }

            var actual = Convert.ToHexStringLower(digest);
            if (!string.Equals(hex, actual, StringComparison.OrdinalIgnoreCase))
            {
                Report(item.Finding(RuleIds.ChecksumSidecarMismatch, FindingSeverity.Error, Check, $"it says SHA-512 {hex[..16].ToLowerInvariant()}… but {target} hashes to {actual[..16]}…; one of them changed: take both again from the build"));
            }
        }

        return Task.CompletedTask;
    }
}
