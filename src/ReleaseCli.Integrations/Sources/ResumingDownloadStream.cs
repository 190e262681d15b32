using System.Net;
using ReleaseCli.Core.Drop;

namespace ReleaseCli.Integrations.Sources;

/// <summary>
/// The body of one download, read forward once. A read that brings no data within the stall timeout,
/// or a connection reset mid-body, makes it ask the server again for the rest (a range request from
/// the current offset, conditional on the same ETag so a changed file is never stitched together),
/// up to the configured number of resumes. Bytes already handed out are never read again.
/// </summary>
internal sealed class ResumingDownloadStream(AssetDownloadClient client, Uri url, System.Net.Http.Headers.AuthenticationHeaderValue? authorization, HttpResponseMessage response, AssetDownloadSettings settings)
    : Stream
{
    private readonly System.Net.Http.Headers.EntityTagHeaderValue? _etag = response.Headers.ETag;
    private readonly bool _acceptsRanges = response.Headers.AcceptRanges.Contains("bytes") || response.Headers.ETag is not null;
    private readonly long? _length = response.Content.Headers.ContentLength;
    private HttpResponseMessage _response = response;
    private Stream? _body;
    private long _position;
    private int _resumes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length ?? throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            _body ??= await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(settings.StallTimeout);
            string problem;
            try
            {
                var read = await _body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0 && _length is { } length && _position < length)
                {
                    problem = $"the connection ended at byte {_position} of {length}";
                }
                else
                {
                    _position += read;
                    return read;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = $"no data for {settings.StallTimeout.TotalSeconds:0.#}s at byte {_position}";
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                problem = $"the connection broke at byte {_position} ({ex.Message})";
            }

            await ResumeAsync(problem, cancellationToken).ConfigureAwait(false);
        }
    }

    // Downloads are only ever read asynchronously; a blocking read would hold a thread for the whole transfer.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the download asynchronously.");

    private async Task ResumeAsync(string problem, CancellationToken cancellationToken)
    {
        var shown = SecretText.MaskUrl(url.ToString());
        if (!_acceptsRanges || _resumes >= settings.MaxResumes)
        {
            throw new GatherException($"{shown}: {problem}{(_acceptsRanges ? $", after {_resumes} resume(s)" : "; the server does not offer ranges, so it cannot resume")}");
        }

        _resumes++;
        await DisposeBodyAsync().ConfigureAwait(false);
        _response = await client.SendAsync(HttpMethod.Get, url, authorization, _position, _etag, cancellationToken).ConfigureAwait(false);
        if (_response.StatusCode != HttpStatusCode.PartialContent || _response.Content.Headers.ContentRange?.From != _position)
        {
            var status = (int)_response.StatusCode;
            throw new GatherException($"{shown}: {problem}; asked for the rest, the server answered HTTP {status} instead of the range (the file may have changed)");
        }
    }

    private async ValueTask DisposeBodyAsync()
    {
        if (_body is not null)
        {
            await _body.DisposeAsync().ConfigureAwait(false);
            _body = null;
        }

        _response.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        await DisposeBodyAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
