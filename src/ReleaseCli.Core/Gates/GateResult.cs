namespace ReleaseCli.Core.Gates;

/// <summary>A gate's verdict. <see cref="Integrity"/> marks a failure caused by tampering (exit 5).</summary>
public sealed record GateResult(GateStatus Status, string Message, bool Integrity = false)
{
    /// <summary>On a pending people gate: who it waits for; null otherwise.</summary>
    public GateWaiting? Waiting { get; init; }

    public static GateResult Passed(string message) => new(GateStatus.Passed, message);

    public static GateResult Failed(string message) => new(GateStatus.Failed, message);

    public static GateResult Pending(string message) => new(GateStatus.Pending, message);

    public static GateResult Tampered(string message) => new(GateStatus.Failed, message, Integrity: true);
}
