using System.Text.Json;
using System.Text.Json.Serialization;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// <c>manifest.json</c>: every build of the candidate and every gathered asset with where it came
/// from (secrets masked), where it is in the drop, its size and SHA-512; and what failed.
/// </summary>
public sealed record DropManifest(
    DateTimeOffset Gathered,
    int RootBuildId,
    IReadOnlyList<DropManifest.Build> Builds,
    IReadOnlyList<DropManifest.Asset> Assets,
    IReadOnlyList<GatherFailure> Failures)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static DropManifest Create(Candidate candidate, GatherResult result, DateTimeOffset now) => new(
        now,
        candidate.Root.Id,
        [.. candidate.Builds.Select(b => new Build(b.Id, b.Repository, b.Commit, b.AzureDevOpsBuildNumber))],
        [.. result.Files.Select(f => new Asset(f.BuildId, f.Name, f.Version, f.Shipping, f.IsPackage, f.Source, f.DropPath, f.Size, f.Sha512))],
        result.Failures);

    /// <summary>Streamed to the file: at tens of thousands of assets the whole document in memory would be tens of MB more at the ring's peak.</summary>
    public Task WriteAsync(string path, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, (stream, ct) => JsonSerializer.SerializeAsync(stream, this, JsonOptions, ct), cancellationToken);

    public sealed record Build(int Id, string Repository, string Commit, string? BuildNumber);

    public sealed record Asset(int BuildId, string Name, string Version, bool Shipping, bool Package, string Source, string Path, long Size, string Sha512);
}
