namespace ReleaseCli.Core.Contract;

/// <summary>One gathered file: what BAR calls it, where it lies in the drop, and its size and SHA-512.</summary>
public sealed record ContractAsset(
    string Name,
    string Version,
    bool Shipping,
    bool IsPackage,
    int BuildId,
    long Size,
    string Sha512,
    string DropPath);
