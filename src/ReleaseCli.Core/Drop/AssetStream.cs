using Microsoft.Win32.SafeHandles;

namespace ReleaseCli.Core.Drop;

/// <summary>An open asset: its bytes, the length the source reports (if any), and where it came from (secrets masked).</summary>
public sealed class AssetStream : IAsyncDisposable
{
    private readonly Stream? _content;
    private readonly IAsyncDisposable? _owner;
    private FileStream? _fileStream;

    public AssetStream(Stream content, long? length, string source, IAsyncDisposable? owner = null)
    {
        _content = content;
        Length = length;
        Source = source;
        _owner = owner;
    }

    /// <summary>A file on this machine, open for reading: read through its handle, with no stream unless one is asked for.</summary>
    public AssetStream(SafeFileHandle file, string source)
    {
        File = file;
        Source = source;
    }

    /// <summary>The open file, when the asset is a file on this machine (then <see cref="Length"/> is not asked of it: it is what is read).</summary>
    public SafeFileHandle? File { get; }

    public Stream Content => _content ?? (_fileStream ??= new FileStream(File!, FileAccess.Read, 1));

    public long? Length { get; }

    public string Source { get; }

    public async ValueTask DisposeAsync()
    {
        if (_content is not null)
        {
            await _content.DisposeAsync().ConfigureAwait(false);
        }

        if (_fileStream is not null)
        {
            await _fileStream.DisposeAsync().ConfigureAwait(false);
        }

        File?.Dispose();
        if (_owner is not null)
        {
            await _owner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
