using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// What a leg runner reports for one leg: its status (pending while a remote run goes on), a line for people,
/// where it ran, and each scanner's result (empty while pending).
/// </summary>
public sealed record SdlLegReport(SdlLeg Leg, StepStatus Status, string Message, string? Link)
{
    public IReadOnlyList<ScannerResult> Scanners { get; init; } = [];
}
