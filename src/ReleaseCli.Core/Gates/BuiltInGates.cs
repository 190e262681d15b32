namespace ReleaseCli.Core.Gates;

/// <summary>The gate kinds this build of the tool knows: adding a kind is one line here.</summary>
public static class BuiltInGates
{
    public static IReadOnlyList<IGateCheck> All { get; } =
    [
        new ContractValidGate(),
        new VersionCoherentGate(),
        new StepsSucceededGate(),
        new ApprovalGate(),
        new SignOffsGate(),
    ];
}
