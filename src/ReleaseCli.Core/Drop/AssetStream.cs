namespace ReleaseCli.Core.Drop;

/// <summary>An open asset: its bytes, the length the source reports (if any), and where it came from (secrets masked).</summary>
public sealed class AssetStream(Stream content, long? length, string source, IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long? Length { get; } = length;

    public string Source { get; } = source;

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        if (owner is not null)
        {
            await owner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
