namespace ReleaseCli.Core.Bar;

/// <summary>A build as BAR records it.</summary>
public sealed record BarBuild
{
    public required int Id { get; init; }

    public required string Commit { get; init; }

    public string? GitHubRepository { get; init; }

    public string? AzureDevOpsRepository { get; init; }

    public string? AzureDevOpsBuildNumber { get; init; }

    public DateTimeOffset DateProduced { get; init; }

    public bool Released { get; init; }

    public bool Stable { get; init; }

    public IReadOnlyList<BarChannel> Channels { get; init; } = [];

    public IReadOnlyList<BarAsset> Assets { get; init; } = [];

    public IReadOnlyList<BarBuildDependency> Dependencies { get; init; } = [];

    /// <summary>Maestro's rule: the GitHub repository when there is one, else the Azure DevOps one.</summary>
    public string Repository => !string.IsNullOrEmpty(GitHubRepository) ? GitHubRepository : AzureDevOpsRepository ?? string.Empty;
}
