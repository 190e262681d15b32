namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>Settings of the test step kind <c>external-run</c>: one run, or one per leg.</summary>
public sealed record ExternalRunSettings
{
    public IReadOnlyList<string> Legs { get; init; } = [];
}
