namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>Settings of the test step kind <c>echo</c>: its text, and whose output to read first.</summary>
public sealed record EchoSettings
{
    public string Text { get; init; } = string.Empty;

    /// <summary>A step of this ring it depends on, or of <see cref="ReadRing"/>, whose output comes before the text.</summary>
    public string? ReadStep { get; init; }

    public string? ReadRing { get; init; }

    /// <summary>Also write the text as this artifact.</summary>
    public string? Artifact { get; init; }
}
