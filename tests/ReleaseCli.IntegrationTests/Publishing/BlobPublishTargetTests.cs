using System.Security.Cryptography;
using Azure.Storage.Sas;
using ReleaseCli.Integrations;
using ReleaseCli.IntegrationTests.Infrastructure;
using ReleaseCli.Rings.Publishing;
using ReleaseCli.Testing;

namespace ReleaseCli.IntegrationTests.Publishing;

/// <summary>The blob target on its own against Azurite through the fault proxy: every request kind faulted, each blob written once.</summary>
public sealed class BlobPublishTargetTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task Through_503s_and_resets_each_item_is_created_once_probed_and_read_back()
    {
        var container = await azurite.ContainerAsync($"target-{Guid.NewGuid().ToString("N")[..8]}");
        using var proxy = new BlobFaultProxy(azurite.Port);
        proxy.Faults = (n, _) => n % 5 == 2 ? ProxyFault.ServiceUnavailable : n % 7 == 3 ? ProxyFault.ResetAfterForwarding : null;
        var sas = container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write, DateTimeOffset.UtcNow.AddHours(1)).Query;
        var target = new BlobPublishTarget(AzureBlobClients.Container($"{proxy.Endpoint}/{container.Name}", container.Name, connectionString: null, sas), "test");
        var items = Enumerable.Range(0, 8).Select(i =>
        {
            var bytes = RandomNumberGenerator.GetBytes(1000 + (i * 300_000));
            return new PublishItem($"v1/file-{i}.zip", bytes.Length, Convert.ToHexStringLower(SHA512.HashData(bytes)), _ => Task.FromResult<Stream>(new MemoryStream(bytes)));
        }).ToList();

        try
        {
            foreach (var item in items)
            {
                Assert.Null(await target.ProbeAsync(item, CancellationToken.None));
                Assert.True(await target.TryCreateAsync(item, CancellationToken.None) || await target.ProbeAsync(item, CancellationToken.None) == item.Sha512);
                Assert.Equal(item.Sha512, await target.ProbeAsync(item, CancellationToken.None));
                Assert.Equal(item.Sha512, await target.ReadBackAsync(item, CancellationToken.None));
                Assert.False(await target.TryCreateAsync(item, CancellationToken.None));
            }
        }
        catch (Exception ex)
        {
            // What the server saw, for the failure message.
            throw new InvalidOperationException(ex.Message + "\n" + string.Join('\n', proxy.Requests.Select(r => $"{r.Method} {r.BlobPath} {r.Status} {r.Fault}")), ex);
        }

        var writes = proxy.Requests.Where(r => r.WritesBlob && r.Status is not null).ToList();
        Assert.All(writes, w => Assert.Equal("*", w.IfNoneMatch));
        // A write the server stored but whose answer broke was retried by the SDK and refused as already there.
        Assert.Contains(writes, w => w.Fault == ProxyFault.ResetAfterForwarding && w.Status == 201);
        Assert.Contains(writes, w => w.Status is 409 or 412);
        foreach (var item in items)
        {
            Assert.Single(writes, w => w.BlobPath.EndsWith(item.Name, StringComparison.Ordinal) && w.Status == 201);
        }
    }
}
