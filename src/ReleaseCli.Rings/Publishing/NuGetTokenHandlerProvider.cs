using System.Net;
using System.Net.Http.Headers;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Gives NuGet.Protocol's HTTP stack for one feed a handler that sends the feed's token with every request, rather
/// than only after a 401 challenge: a push answered 401 cannot be sent again with its package stream already read.
/// </summary>
internal sealed class NuGetTokenHandlerProvider(AuthenticationHeaderValue authorization)
    : ResourceProvider(typeof(HttpHandlerResource), nameof(NuGetTokenHandlerProvider), NuGetResourceProviderPositions.First)
{
    public override Task<Tuple<bool, INuGetResource?>> TryCreate(SourceRepository source, CancellationToken token)
    {
        var client = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate };
        var resource = new HttpHandlerResourceV3(client, new TokenHandler(authorization) { InnerHandler = client });
        return Task.FromResult(Tuple.Create<bool, INuGetResource?>(true, resource));
    }

    private sealed class TokenHandler(AuthenticationHeaderValue authorization) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = authorization;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
