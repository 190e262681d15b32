using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Gates;

/// <summary>Definition rules several gate kinds share.</summary>
public static class GateRules
{
    /// <summary>A gate decided by its check takes no approvers or teams.</summary>
    public static IEnumerable<(string Key, string Message)> DecidedByCode(GateDefinition gate)
    {
        if (gate.Approvers.Count > 0)
        {
            yield return ("approvers", $"only approval gates have approvers; a '{gate.Kind}' gate is decided by its check.");
        }

        if (gate.Teams.Count > 0)
        {
            yield return ("teams", "only sign-offs gates have teams.");
        }
    }
}
