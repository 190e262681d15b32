namespace ReleaseCli.Core.Drop;

public sealed record GatherResult(IReadOnlyList<GatheredFile> Files, IReadOnlyList<string> Failures)
{
    public long Bytes => Files.Sum(f => f.Size);

    public int Downloaded => Files.Count(f => f.Downloaded);
}
