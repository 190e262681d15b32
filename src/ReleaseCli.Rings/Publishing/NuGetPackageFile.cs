using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// A package of the contract to publish: its id and normalized version, whether it is the <c>.snupkg</c> of a
/// package, the contract's record of it (size, SHA-512, drop path) and the file in the drop.
/// </summary>
public sealed record NuGetPackageFile(string Id, string Version, bool IsSymbols, ContractAsset Asset, string LocalPath)
{
    public string LowerId => Id.ToLowerInvariant();

    public string LowerVersion => Version.ToLowerInvariant();

    public string Extension => IsSymbols ? ".snupkg" : ".nupkg";

    /// <summary>The file's place in NuGet's lower-case layout (a folder feed's and a flat container's): <c>id/version/id.version.nupkg</c>.</summary>
    public string FeedPath => $"{LowerId}/{LowerVersion}/{LowerId}.{LowerVersion}{Extension}";

    public string Display => $"{Id} {Version}{(IsSymbols ? " (symbols)" : string.Empty)}";
}
