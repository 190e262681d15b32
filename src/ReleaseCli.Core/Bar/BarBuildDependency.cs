namespace ReleaseCli.Core.Bar;

/// <summary>An edge of BAR's build dependency graph; product edges make up the release candidate.</summary>
public sealed record BarBuildDependency(int BuildId, bool IsProduct, double TimeToInclusionInMinutes);
