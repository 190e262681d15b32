namespace ReleaseCli.Core.Bar;

/// <summary>Where BAR says an asset can be fetched: a NuGet feed or a blob container (URL or local folder).</summary>
public sealed record AssetLocation(string Location, AssetLocationType Type);
