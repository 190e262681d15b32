namespace ReleaseCli.Rings.Staging;

/// <summary>
/// One published download of a component: its file name in the metadata, runtime identifier
/// (<c>linux-x64</c>, <c>win-arm64</c>, …), public URL and the SHA-512 (hex) from the contract.
/// </summary>
public sealed record ReleaseFile(string Name, string Rid, string Url, string Sha512);
