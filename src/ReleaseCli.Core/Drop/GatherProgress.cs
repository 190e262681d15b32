namespace ReleaseCli.Core.Drop;

/// <summary>
/// Live counters of a gather, updated by the download workers and read by whoever shows progress
/// (a progress bar, periodic log lines, Azure Pipelines' setprogress) on its own schedule.
/// </summary>
public sealed class GatherProgress
{
    private long _bytes;
    private int _filesDone;
    private int _filesFailed;
    private int _filesPresent;

    /// <summary>Files in the plan.</summary>
    public int FilesTotal { get; internal set; }

    public int FilesDone => Volatile.Read(ref _filesDone);

    public int FilesFailed => Volatile.Read(ref _filesFailed);

    /// <summary>Files that were already complete and verified in the drop (not fetched again).</summary>
    public int FilesAlreadyPresent => Volatile.Read(ref _filesPresent);

    /// <summary>Bytes written to the drop in this run (files fetched, not files kept).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytes);

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    internal void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    internal void FileCompleted(bool alreadyPresent)
    {
        if (alreadyPresent)
        {
            Interlocked.Increment(ref _filesPresent);
        }

        Interlocked.Increment(ref _filesDone);
    }

    internal void FileFailed()
    {
        Interlocked.Increment(ref _filesFailed);
        Interlocked.Increment(ref _filesDone);
    }

    /// <summary>One plain line: files, bytes, rate and ETA (the ETA from the rate of files finished so far).</summary>
    public string Describe(DateTimeOffset now)
    {
        var elapsed = (now - Started).TotalSeconds;
        var rate = elapsed > 0 ? BytesWritten / elapsed : 0;
        var done = FilesDone;
        var remaining = FilesTotal - done;
        var eta = done > 0 && remaining > 0 ? TimeSpan.FromSeconds(elapsed / done * remaining) : (TimeSpan?)null;
        var failed = FilesFailed > 0 ? $", {FilesFailed} failed" : string.Empty;
        var present = FilesAlreadyPresent > 0 ? $", {FilesAlreadyPresent} already present" : string.Empty;
        return $"{done}/{FilesTotal} files{present}{failed}, {ByteSize.Format(BytesWritten)} fetched at {ByteSize.Format((long)rate)}/s{(eta is { } e ? $", about {e:hh\\:mm\\:ss} left" : string.Empty)}";
    }

    /// <summary>Percent of files done, 0–100.</summary>
    public int Percent => FilesTotal == 0 ? 100 : (int)(100L * FilesDone / FilesTotal);
}
