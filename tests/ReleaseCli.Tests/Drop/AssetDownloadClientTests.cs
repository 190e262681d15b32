using System.Net;
using System.Net.Http.Headers;
using ReleaseCli.Core.Drop;
using ReleaseCli.Integrations.Sources;

namespace ReleaseCli.Tests.Drop;

public sealed class AssetDownloadClientTests
{
    [Fact]
    public async Task Plain_http_to_another_machine_is_refused_before_any_request_and_a_credential_goes_only_where_it_is_protected()
    {
        var handler = new RecordingHandler();
        var client = new AssetDownloadClient(() => new HttpClient(handler), new AssetDownloadSettings());
        var token = new AuthenticationHeaderValue("Bearer", "feed-token");

        var error = await Assert.ThrowsAsync<GatherException>(() => client.OpenAsync(new Uri("http://feed.contoso.example/v3/x.1.0.0.nupkg"), token, "help", CancellationToken.None));
        Assert.Contains("is plain http to feed.contoso.example", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("use its https address; its credential is not sent", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);

        // Without a credential either: what it served could be changed before it is hashed into the contract.
        var anonymous = await Assert.ThrowsAsync<GatherException>(() => client.OpenAsync(new Uri("http://files.contoso.example/app.zip"), null, "help", CancellationToken.None));
        Assert.Contains("plain http is accepted only for a loopback address", anonymous.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);

        // Over https, or to this machine, the credential goes with the request.
        foreach (var url in new[] { "https://feed.contoso.example/v3/x.1.0.0.nupkg", "http://127.0.0.1:5000/v3/x.1.0.0.nupkg" })
        {
            await using var stream = await client.OpenAsync(new Uri(url), token, "help", CancellationToken.None);
            Assert.NotNull(stream);
        }

        Assert.All(handler.Requests, r => Assert.Equal("feed-token", r.Headers.Authorization?.Parameter));
        Assert.Equal(2, handler.Requests.Count);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) });
        }
    }
}
