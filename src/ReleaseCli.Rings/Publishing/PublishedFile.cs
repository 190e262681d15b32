namespace ReleaseCli.Rings.Publishing;

/// <summary>One file a publish step put on its target: its name there, size and SHA-512.</summary>
public sealed record PublishedFile(string Name, long Size, string Sha512);
