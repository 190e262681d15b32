namespace ReleaseCli.Core.Gates;

public enum GateStatus
{
    Passed,
    Failed,

    /// <summary>Waiting for people: approvals or sign-offs not all given yet.</summary>
    Pending,

    /// <summary>Failed, but an authorised person recorded a justified override.</summary>
    Overridden,
}
