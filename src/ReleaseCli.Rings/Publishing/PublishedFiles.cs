namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// The output of blob-publish and symbols-publish: the target (as the ledger names it) and every file on it,
/// read back and verified. cdn-validate requests each of them through the public URL.
/// </summary>
public sealed record PublishedFiles(string Target, IReadOnlyList<PublishedFile> Files);
