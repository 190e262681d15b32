namespace ReleaseCli.Core.Engine;

/// <summary>What <see cref="ReleaseDecisions"/> recorded (or found already recorded): who decided what, in which ledger event.</summary>
/// <param name="Decision">approved, rejected or overridden.</param>
/// <param name="Target">The gate's id, or for an override the target as the ledger names it (<c>step:a</c>, <c>gate:g</c>, <c>entry</c>).</param>
/// <param name="Event">The ledger event (its sequence number) that holds the decision.</param>
/// <param name="AlreadyRecorded">True when the same decision was already in the ledger and nothing was appended.</param>
public sealed record DecisionResult(DecisionKind Decision, string Ring, string Target, string? Team, string Actor, string? IdentityProvider, int Event, bool AlreadyRecorded, string? ContractDigest, string Message);

/// <summary>The kinds of decision people record.</summary>
public enum DecisionKind
{
    Approved,
    Rejected,
    Overridden,
}
