namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// Holds a folder's walk back while <c>limit</c> files it listed wait to be read, and lets it go on once half of them
/// are taken: the walk wakes once for every <c>limit / 2</c> files the workers take, not for each one (a bounded
/// channel wakes its writer for every item read from it once full, which on a drop of small files is a thread
/// hand-off per file). One walk lists; any number of workers take.
/// </summary>
internal sealed class WalkAheadGate(int limit)
{
    private readonly SemaphoreSlim _room = new(0);
    private int _waiting;
    private int _paused;

    /// <summary>Counts a file the walk listed; waits, if <c>limit</c> are now waiting, until half of them are taken.</summary>
    public ValueTask ListedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) < limit)
        {
            return ValueTask.CompletedTask;
        }

        return PauseAsync(cancellationToken);
    }

    /// <summary>Counts <paramref name="count"/> files the workers took; lets a paused walk go on once no more than half the limit wait.</summary>
    public void Taken(int count)
    {
        if (Interlocked.Add(ref _waiting, -count) <= limit / 2 && Interlocked.Exchange(ref _paused, 0) == 1)
        {
            _room.Release();
        }
    }

    private async ValueTask PauseAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _paused, 1);
        // Taken before the pause was seen would not wake the walk: looked at again after saying it waits.
        if (Volatile.Read(ref _waiting) <= limit / 2 && Interlocked.Exchange(ref _paused, 0) == 1)
        {
            return;
        }

        // Either not enough were taken yet, or a worker saw the pause and released the room (then this returns at once).
        await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
