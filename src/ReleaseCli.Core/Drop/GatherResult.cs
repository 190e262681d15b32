namespace ReleaseCli.Core.Drop;

/// <summary>What a gather did: every file now in the drop, and every asset that could not be gathered.</summary>
public sealed record GatherResult(IReadOnlyList<GatheredFile> Files, IReadOnlyList<GatherFailure> Failures)
{
    public long Bytes => Files.Sum(f => f.Size);

    public int Downloaded => Files.Count(f => f.Downloaded);

    /// <summary>Files kept from an earlier run after their hash was checked again.</summary>
    public int AlreadyPresent => Files.Count(f => !f.Downloaded);

    /// <summary>Files found in the drop that did not match their journaled hash and were fetched again.</summary>
    public int Replaced { get; init; }

    /// <summary>The drop held nothing when the gather began: every file in it is one the gather wrote, so there is nothing left over to tidy.</summary>
    public bool StartedEmpty { get; init; }
}
