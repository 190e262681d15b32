namespace ReleaseCli.Core.Definition;

public static class GateKind
{
    public const string ContractValid = "contract-valid";
    public const string VersionCoherent = "version-coherent";
    public const string StepsSucceeded = "steps-succeeded";
    public const string Approval = "approval";
    public const string SignOffs = "sign-offs";

    public static IReadOnlyList<string> All { get; } = [ContractValid, VersionCoherent, StepsSucceeded, Approval, SignOffs];

    /// <summary>Gates decided by people: they cannot be overridden, only approved.</summary>
    public static bool IsDecidedByPeople(string kind) => kind is Approval or SignOffs;
}
