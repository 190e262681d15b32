using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>
/// The sample's publish ring pointed at Azurite: blob-publish and symbols-publish write through a
/// <see cref="BlobFaultProxy"/> (which counts the server's writes and plays faults), cdn-validate and the symbol
/// server check read from Azurite's own endpoint, as a CDN in front of the container would.
/// </summary>
public sealed class PublishRing
{
    public const string ReleasesSasVariable = "CONTOSO_TEST_RELEASES_SAS";
    public const string SymbolsSasVariable = "CONTOSO_TEST_SYMBOLS_SAS";

    /// <summary>What the sample publishes to the releases container (its layout over the drop files and staged artifacts).</summary>
    public static readonly string[] ReleaseBlobs =
    [
        "sample/1.0.0/1.0.0-sha.txt", "sample/1.0.0/1.0.0.md",
        "sample/1.0.0/contoso-sample-1.0.0.tar.gz", "sample/1.0.0/contoso-sample-1.0.0.tar.gz.asc",
        "sample/1.0.0/contoso-sample-antares-1.0.0-win-x64.zip", "sample/1.0.0/contoso-sample-antares-1.0.0-win-x64.zip.asc",
        "sample/1.0.0/contoso-sample-app-1.0.0-linux-x64.tar.gz", "sample/1.0.0/contoso-sample-app-1.0.0-linux-x64.tar.gz.asc",
        "sample/1.0.0/contoso-sample-app-1.0.0-win-x64.zip", "sample/1.0.0/contoso-sample-app-1.0.0-win-x64.zip.asc",
        "sample/release-metadata/1.0/1.0.0/release.json", "sample/release-metadata/1.0/releases.json", "sample/release-metadata/releases-index.json",
    ];

    private PublishRing(BlobContainerClient releases, BlobContainerClient symbols, IDictionary<string, string> environment)
    {
        Releases = releases;
        Symbols = symbols;
        Environment = environment;
    }

    public BlobContainerClient Releases { get; }

    public BlobContainerClient Symbols { get; }

    /// <summary>The SAS tokens, in the variables the definition names.</summary>
    public IDictionary<string, string> Environment { get; }

    /// <summary>Two fresh anonymous-read containers and SAS tokens that may write to them.</summary>
    public static async Task<PublishRing> CreateAsync(Azurite azurite)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var releases = await azurite.ContainerAsync($"releases-{suffix}");
        var symbols = await azurite.ContainerAsync($"symbols-{suffix}");
        return new PublishRing(releases, symbols, new Dictionary<string, string>
        {
            [ReleasesSasVariable] = Sas(releases),
            [SymbolsSasVariable] = Sas(symbols),
        });
    }

    /// <summary>The sample's definition with its publish ring writing through <paramref name="proxy"/> and reading from Azurite.</summary>
    /// <param name="symbolsInFolder">Keep the sample's symbol store in its local folder (published/symbols).</param>
    public Func<string, string> Definition(Azurite azurite, BlobFaultProxy proxy, string? cdnContainer = null, int parallelism = 2, bool symbolsInFolder = false) => definition =>
    {
        var root = JsonNode.Parse(definition)!;
        var steps = root["rings"]!["publish"]!["steps"]!.AsArray();
        var blob = steps.Single(s => s!["kind"]!.GetValue<string>() == "blob-publish")!["settings"]!.AsObject();
        blob.Remove("folder");
        blob["account"] = proxy.Endpoint;
        blob["container"] = Releases.Name;
        blob["sasVariable"] = ReleasesSasVariable;
        blob["parallelism"] = parallelism;
        var cdn = steps.Single(s => s!["kind"]!.GetValue<string>() == "cdn-validate")!["settings"]!.AsObject();
        cdn["baseUrl"] = azurite.ContainerUrl(cdnContainer ?? Releases.Name);
        cdn["timeoutSeconds"] = 3;
        cdn["firstPauseSeconds"] = 0.5;
        var symbols = steps.Single(s => s!["kind"]!.GetValue<string>() == "symbols-publish")!["settings"]!.AsObject();
        symbols["parallelism"] = parallelism;
        if (symbolsInFolder)
        {
            return root.ToJsonString();
        }

        symbols.Remove("folder");
        symbols["account"] = proxy.Endpoint;
        symbols["container"] = Symbols.Name;
        symbols["sasVariable"] = SymbolsSasVariable;
        symbols["symbolServer"] = azurite.ContainerUrl(Symbols.Name);
        return root.ToJsonString();
    };

    private static string Sas(BlobContainerClient container) =>
        container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(2)).Query.TrimStart('?');
}
