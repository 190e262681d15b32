namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A place a publish step puts items: a blob container, a folder, a feed, a remote. It never overwrites: it
/// says what is there, creates what is absent only if it is still absent, and reads back what it holds.
/// </summary>
public interface IPublishTarget
{
    /// <summary>How the target is named in the ledger and in messages (no secrets: never a SAS or a key).</summary>
    string Name { get; }

    /// <summary>
    /// What the digests this target compares are, for messages: "SHA-512" for files; a target whose items are
    /// not files says what stands in for the hash (a git remote compares commit ids).
    /// </summary>
    string DigestName => "SHA-512";

    /// <summary>The SHA-512 (lower-case hex) of what the target holds under the item's name, or null when it holds nothing there.</summary>
    Task<string?> ProbeAsync(PublishItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the item only if the target holds nothing under its name, atomically where the target allows it.
    /// Returns false when something was there already (written meanwhile): the caller looks again.
    /// </summary>
    Task<bool> TryCreateAsync(PublishItem item, CancellationToken cancellationToken);

    /// <summary>Reads the item back from the target and returns the SHA-512 of what it holds, or null when it is absent.</summary>
    Task<string?> ReadBackAsync(PublishItem item, CancellationToken cancellationToken);
}
