namespace ReleaseCli.Core.Store;

/// <summary>Who holds a release's lock, shown to anyone else who tries to take it.</summary>
public sealed record LockOwner(string Actor, string Verb, string Host, int ProcessId, DateTimeOffset Since);
