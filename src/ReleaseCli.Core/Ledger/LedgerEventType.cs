namespace ReleaseCli.Core.Ledger;

/// <summary>The kinds of event a ledger records.</summary>
public static class LedgerEventType
{
    public const string CandidateSelected = "CandidateSelected";
    public const string RunStarted = "RunStarted";
    public const string EntryChecked = "EntryChecked";
    public const string StepStarted = "StepStarted";
    public const string StepCompleted = "StepCompleted";
    public const string ContractSealed = "ContractSealed";
    public const string GateEvaluated = "GateEvaluated";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";
    public const string Overridden = "Overridden";
    public const string Promoted = "Promoted";
    public const string Released = "Released";
    public const string RunCompleted = "RunCompleted";
}
