using System.Text;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Core.Store;

/// <summary>
/// The release's store as every verb writes to it: the secrets of this process (a token a failing service echoed
/// back included) are masked in what reaches the store, as on the console and in the log. Ledger lines are
/// masked by the ledger writer before they are hashed; documents (the contract, findings, SARIF) and text
/// artifacts (reports, logs, SARIF, JSON: by their file ending) are masked here, before they are hashed and written.
/// Binary artifacts (archives, packages, signatures) are written as made: masking would corrupt them.
/// </summary>
public sealed class MaskingReleaseStore(IReleaseStore inner, SecretMasker masker) : IReleaseStore
{
    private static readonly string[] TextEndings = [".sarif", ".json", ".log", ".txt", ".md", ".csv", ".xml", ".html", ".htm", ".yml", ".yaml"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string Describe(string releaseId) => inner.Describe(releaseId);

    public string DescribeLedger(string releaseId) => inner.DescribeLedger(releaseId);

    public Task<IAsyncDisposable> AcquireLockAsync(string releaseId, LockOwner owner, CancellationToken cancellationToken) =>
        inner.AcquireLockAsync(releaseId, owner, cancellationToken);

    public Task<IReadOnlyList<string>> ReadLedgerLinesAsync(string releaseId, CancellationToken cancellationToken) =>
        inner.ReadLedgerLinesAsync(releaseId, cancellationToken);

    public Task<LedgerHead?> ReadLedgerHeadAsync(string releaseId, CancellationToken cancellationToken) =>
        inner.ReadLedgerHeadAsync(releaseId, cancellationToken);

    /// <summary>Lines come masked (and hashed) from the ledger writer; changing them here would break their hash.</summary>
    public Task AppendLedgerLineAsync(string releaseId, string line, int expectedCount, LedgerHead newHead, CancellationToken cancellationToken) =>
        inner.AppendLedgerLineAsync(releaseId, line, expectedCount, newHead, cancellationToken);

    public Task WriteDocumentAsync(string releaseId, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        inner.WriteDocumentAsync(releaseId, name, Mask(content), cancellationToken);

    public Task<byte[]?> ReadDocumentAsync(string releaseId, string name, CancellationToken cancellationToken) =>
        inner.ReadDocumentAsync(releaseId, name, cancellationToken);

    public Task<Stream?> OpenDocumentAsync(string releaseId, string name, CancellationToken cancellationToken) =>
        inner.OpenDocumentAsync(releaseId, name, cancellationToken);

    public Task<IStagedArtifact> StageArtifactAsync(string releaseId, string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (!masker.HasSecrets || !TextEndings.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return inner.StageArtifactAsync(releaseId, path, write, cancellationToken);
        }

        // Text artifacts are small: made in memory, masked, then streamed on to be hashed and staged.
        return inner.StageArtifactAsync(releaseId, path, async (target, ct) =>
        {
            using var made = new MemoryStream();
            await write(made, ct).ConfigureAwait(false);
            await target.WriteAsync(Mask(made.GetBuffer().AsMemory(0, (int)made.Length)), ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<Stream?> OpenArtifactAsync(string releaseId, string path, CancellationToken cancellationToken) =>
        inner.OpenArtifactAsync(releaseId, path, cancellationToken);

    public string DescribeArtifact(string releaseId, string path) => inner.DescribeArtifact(releaseId, path);

    public string GetWorkingDirectory(string releaseId) => inner.GetWorkingDirectory(releaseId);

    /// <summary>
    /// UTF-8 text with a secret in it, masked; anything else (no secret, not text) exactly as given. A document named
    /// by its digest (the contract) is masked with this before it is hashed.
    /// </summary>
    public ReadOnlyMemory<byte> Mask(ReadOnlyMemory<byte> content)
    {
        if (!masker.HasSecrets)
        {
            return content;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content.Span);
        }
        catch (DecoderFallbackException)
        {
            return content;
        }

        var masked = masker.Mask(text);
        return string.Equals(masked, text, StringComparison.Ordinal) ? content : StrictUtf8.GetBytes(masked);
    }
}
