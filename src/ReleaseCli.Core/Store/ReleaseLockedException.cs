namespace ReleaseCli.Core.Store;

public sealed class ReleaseLockedException(string releaseId, LockOwner? owner)
    : ReleaseException(
        ExitCode.Locked,
        owner is null
            ? $"Release '{releaseId}' is locked by another run that is just starting or finishing (it has not written its name yet, or has just removed it). Run again in a moment."
            : $"Release '{releaseId}' is locked by {owner.Actor} running `{owner.Verb}` on {owner.Host} (process {owner.ProcessId}) since {owner.Since:u}. Wait for it to finish and run again.")
{
    public LockOwner? Owner { get; } = owner;
}
