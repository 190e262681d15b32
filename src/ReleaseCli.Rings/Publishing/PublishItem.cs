namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// One thing to put on a target: its name there ('/' separated), what it must hold (size and SHA-512 known
/// before publishing, from the contract or the artifact records), and how to read its bytes.
/// </summary>
public sealed record PublishItem(string Name, long Size, string Sha512, Func<CancellationToken, Task<Stream>> OpenAsync)
{
    /// <summary>The content type the target should serve it with, where the target has one.</summary>
    public string? ContentType { get; init; }

    /// <summary>Where the bytes come from, for messages (a drop path, an artifact).</summary>
    public string? Source { get; init; }
}
