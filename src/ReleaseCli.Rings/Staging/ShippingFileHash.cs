namespace ReleaseCli.Rings.Staging;

/// <summary>A shipping file's published name and its SHA-512 (hex), as computed once when the drop was gathered.</summary>
public sealed record ShippingFileHash(string FileName, string Sha512);
