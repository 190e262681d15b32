using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Gates;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Whether the release's files are still what was sealed and recorded: the contract is this release's, every drop
/// file has its sealed size and SHA-512 (nothing added), and every artifact of the current contract has the bytes
/// its ledger record names. Ring runs check it on entry; <c>status --verify-drop</c> on request.
/// </summary>
public static class ReleaseIntegrity
{
    /// <summary>The problems found (sorted; none when intact), and a line saying what was checked.</summary>
    public static async Task<(IReadOnlyList<string> Problems, string Summary)> VerifyAsync(ReleaseEnvironment environment, SealedContract contract, ReleaseState state, CancellationToken cancellationToken)
    {
        if (ContractValidGate.ForeignContract(contract.Contract, environment.Definition) is { } foreign)
        {
            return ([foreign], string.Empty);
        }

        var drop = await ContractValidGate.VerifyDropAsync(contract.Contract, environment.DropPath, cancellationToken).ConfigureAwait(false);
        var artifacts = state.Artifacts();
        var artifactProblems = await ArtifactArea.VerifyAsync(environment.Store, environment.ReleaseId, artifacts, cancellationToken).ConfigureAwait(false);
        return ([.. drop, .. artifactProblems], $"{contract.Contract.Assets.Count} drop file(s) and {artifacts.Count} artifact(s) matched their SHA-512");
    }
}
