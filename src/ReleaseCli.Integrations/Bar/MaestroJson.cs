using System.Text.Json;
using System.Text.Json.Serialization;
using ReleaseCli.Core.Bar;

namespace ReleaseCli.Integrations.Bar;

/// <summary>
/// Maestro's JSON shapes (api-version 2020-02-20), shared by the local BAR's import/export and the REST client.
/// Unknown fields are ignored.
/// </summary>
public static class MaestroJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<AssetLocationType>(JsonNamingPolicy.CamelCase) },
    };

    public static BuildJson ToJson(BarBuild build) => new()
    {
        Id = build.Id,
        Commit = build.Commit,
        GitHubRepository = build.GitHubRepository,
        AzureDevOpsRepository = build.AzureDevOpsRepository,
        AzureDevOpsBuildNumber = build.AzureDevOpsBuildNumber,
        DateProduced = build.DateProduced,
        Released = build.Released,
        Stable = build.Stable,
        Channels = [.. build.Channels.Select(c => new ChannelJson { Id = c.Id, Name = c.Name, Classification = c.Classification })],
        Assets = [.. build.Assets.Select(a => new AssetJson
        {
            Id = a.Id,
            Name = a.Name,
            Version = a.Version,
            NonShipping = a.NonShipping,
            Locations = [.. a.Locations.Select(l => new LocationJson { Location = l.Location, Type = l.Type })],
        })],
        Dependencies = [.. build.Dependencies.Select(d => new DependencyJson { BuildId = d.BuildId, IsProduct = d.IsProduct, TimeToInclusionInMinutes = d.TimeToInclusionInMinutes })],
    };
}

/// <summary>The body of Maestro's POST /api/builds.</summary>
public sealed record BuildDataJson
{
    public string? Commit { get; init; }

    public string? AzureDevOpsAccount { get; init; }

    public string? AzureDevOpsProject { get; init; }

    public string? AzureDevOpsBuildNumber { get; init; }

    public int? AzureDevOpsBuildId { get; init; }

    public int? AzureDevOpsBuildDefinitionId { get; init; }

    public string? AzureDevOpsRepository { get; init; }

    public string? AzureDevOpsBranch { get; init; }

    public string? GitHubRepository { get; init; }

    public string? GitHubBranch { get; init; }

    public bool Released { get; init; }

    public bool Stable { get; init; }

    public List<AssetJson>? Assets { get; init; }

    public List<DependencyJson>? Dependencies { get; init; }
}

/// <summary>Maestro's Build as GET /api/builds/{id} returns it.</summary>
public sealed record BuildJson
{
    public int Id { get; init; }

    public string? Commit { get; init; }

    public string? GitHubRepository { get; init; }

    public string? GitHubBranch { get; init; }

    public string? AzureDevOpsRepository { get; init; }

    public string? AzureDevOpsBranch { get; init; }

    public string? AzureDevOpsBuildNumber { get; init; }

    public DateTimeOffset DateProduced { get; init; }

    public bool Released { get; init; }

    public bool Stable { get; init; }

    public List<ChannelJson>? Channels { get; init; }

    public List<AssetJson>? Assets { get; init; }

    public List<DependencyJson>? Dependencies { get; init; }
}

public sealed record AssetJson
{
    public int Id { get; init; }

    public string? Name { get; init; }

    public string? Version { get; init; }

    public bool NonShipping { get; init; }

    public int? BuildId { get; init; }

    public List<LocationJson>? Locations { get; init; }
}

public sealed record LocationJson
{
    public int Id { get; init; }

    public string? Location { get; init; }

    public AssetLocationType Type { get; init; }
}

public sealed record DependencyJson
{
    public int BuildId { get; init; }

    public bool IsProduct { get; init; }

    public double TimeToInclusionInMinutes { get; init; }
}

/// <summary>The body of Maestro's PATCH /api/builds/{id}: only what is set changes.</summary>
public sealed record BuildUpdateJson
{
    public bool? Released { get; init; }
}

/// <summary>Maestro's error body (ApiError): a message and, for validation errors, the details.</summary>
public sealed record ApiErrorJson
{
    public string? Message { get; init; }

    public List<string>? Errors { get; init; }
}

public sealed record ChannelJson
{
    public int Id { get; init; }

    public string? Name { get; init; }

    public string? Classification { get; init; }
}
