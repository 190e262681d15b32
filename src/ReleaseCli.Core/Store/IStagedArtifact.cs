namespace ReleaseCli.Core.Store;

/// <summary>
/// An artifact written to a temporary place in the store, flushed to disk, with its size and SHA-512
/// known; <see cref="CommitAsync"/> moves it to its name, disposing without committing discards it.
/// </summary>
public interface IStagedArtifact : IAsyncDisposable
{
    long Size { get; }

    /// <summary>Lower-case hex SHA-512 of the bytes written.</summary>
    string Sha512 { get; }

    Task CommitAsync(CancellationToken cancellationToken);
}
