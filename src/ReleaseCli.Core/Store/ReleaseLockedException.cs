namespace ReleaseCli.Core.Store;

public sealed class ReleaseLockedException(string releaseId, LockOwner? owner)
    : ReleaseException(
        ExitCode.Locked,
        owner is null
            ? $"Release '{releaseId}' is locked by another run. Wait for it to finish and run again."
            : $"Release '{releaseId}' is locked by {owner.Actor} running `{owner.Verb}` on {owner.Host} (process {owner.ProcessId}) since {owner.Since:u}. Wait for it to finish and run again.")
{
    public LockOwner? Owner { get; } = owner;
}
