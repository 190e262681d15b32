namespace ReleaseCli.Core.Ledger;

public enum OverrideTargetKind
{
    Entry,
    Step,
    Leg,
    Gate,
}
