namespace ReleaseCli.Core.Drop;

/// <summary>An asset that could not be gathered, and why (every location tried, secrets masked).</summary>
public sealed record GatherFailure(int BuildId, string Name, string Version, string DropPath, string Reason)
{
    public override string ToString() => $"{Name} {Version} (build {BuildId}): {Reason}";
}
