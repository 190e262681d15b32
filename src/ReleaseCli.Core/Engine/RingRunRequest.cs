namespace ReleaseCli.Core.Engine;

/// <summary>What the user asked a ring verb to do.</summary>
/// <param name="Ring">The ring to run.</param>
/// <param name="BuildId">The root build (prep only; later rings use the release's).</param>
/// <param name="ForceEntry">Enter although the entry check fails, as a recorded override.</param>
/// <param name="Justification">Why, when forcing entry.</param>
/// <param name="IncludeReleased">Keep already-released dependency builds in the candidate.</param>
/// <param name="NoWait">Do not wait for steps pending on something outside: record them and end pending (exit 3).</param>
public sealed record RingRunRequest(string Ring, int? BuildId, bool ForceEntry, string? Justification, bool IncludeReleased = false, bool NoWait = false)
{
    /// <summary>Told what the run waits for while steps are pending (null: nobody is shown).</summary>
    public IPendingProgress? Progress { get; init; }
}
