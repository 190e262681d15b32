namespace ReleaseCli.Core.Drop;

/// <summary>One file in the drop with the hash computed while it was written.</summary>
public sealed record GatheredFile(int BuildId, string Name, string Version, bool Shipping, bool IsPackage, string DropPath, long Size, string Sha512, string Source, bool Downloaded);
