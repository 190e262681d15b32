using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Rings;
using ReleaseCli.Rings.Publishing;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>A publication log kept in memory, the product's HTTP wiring, and the sample's packages as publish items.</summary>
internal static class PublishTestSupport
{
    public static (PublicationLog Log, List<LedgerEvent> Events) NewLog(string step)
    {
        var events = new List<LedgerEvent>();
        var log = new PublicationLog("publish", step, "sha256:test", (e, _) =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        }, () =>
        {
            lock (events)
            {
                return [.. events];
            }
        });
        return (log, events);
    }

    /// <summary>The services the executable registers for the ring steps (the HTTP clients with their resilience handlers).</summary>
    public static ServiceProvider Services() => new ServiceCollection().AddLogging().AddSingleton<ReleaseCli.Core.Security.SecretMasker>().AddRingSteps().BuildServiceProvider();

    public static NuGetPackageFile Package(string path, string id, bool symbols = false)
    {
        var bytes = File.ReadAllBytes(path);
        var asset = new ContractAsset(id, "1.0.0", true, !symbols, 1, bytes.Length, Convert.ToHexStringLower(SHA512.HashData(bytes)), Path.GetFileName(path));
        return new NuGetPackageFile(id, "1.0.0", symbols, asset, path);
    }

    public static PublishItem ItemOf(NuGetPackageFile package) =>
        new(package.FeedPath, package.Asset.Size, package.Asset.Sha512, _ => Task.FromResult<Stream>(File.OpenRead(package.LocalPath)));

    public static IReadOnlyList<NuGetPackageFile> SamplePackages(string sample) =>
    [
        Package(Path.Combine(sample, "feeds", "sample-core", "Contoso.Sample.Core.1.0.0.nupkg"), "Contoso.Sample.Core"),
        Package(Path.Combine(sample, "feeds", "sample-app", "Contoso.Sample.App.1.0.0.nupkg"), "Contoso.Sample.App"),
    ];
}
