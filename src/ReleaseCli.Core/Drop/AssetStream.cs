namespace ReleaseCli.Core.Drop;

/// <summary>An open asset: its bytes, the length the source reports (if any), and where it came from.</summary>
public sealed class AssetStream(Stream content, long? length, string source) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long? Length { get; } = length;

    public string Source { get; } = source;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
