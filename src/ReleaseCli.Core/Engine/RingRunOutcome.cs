namespace ReleaseCli.Core.Engine;

/// <summary>How a ring run ended: its exit code, a sentence, and whether any override was used.</summary>
public sealed record RingRunOutcome(string Ring, string RunId, ExitCode ExitCode, string Message, bool UsedOverrides);
