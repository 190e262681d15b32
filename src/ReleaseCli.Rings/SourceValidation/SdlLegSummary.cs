using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>One leg of an sdl-validation step: which commit, how it went, and each scanner's counts.</summary>
public sealed record SdlLegSummary(string Name, string Repository, string Commit, StepStatus Status, IReadOnlyList<SdlScannerSummary> Scanners);
