using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Identity;

namespace ReleaseCli.Core.Engine;

/// <summary>Who may do what, as the release definition says.</summary>
public static class Authorization
{
    public static void RequireOverrider(ReleaseDefinition definition, IReadOnlyList<string> overriders, Actor actor, string what)
    {
        var people = definition.ExpandPrincipals(overriders);
        if (!people.Contains(actor.Name))
        {
            throw ReleaseException.Usage(
                $"{actor.Name} (identity from {actor.Provider}) may not {what}. " +
                (people.Count == 0
                    ? "The release definition names no overriders for it; add them under \"overriders\"."
                    : $"Overriders: {string.Join(", ", people.Order(StringComparer.OrdinalIgnoreCase))}."));
        }
    }

    public static void RequireJustification(string? justification, string option)
    {
        if (string.IsNullOrWhiteSpace(justification) || justification.Trim().Length < 10)
        {
            throw ReleaseException.Usage($"{option} needs --justification \"<why>\" of at least 10 characters; it is recorded in the ledger and shown in every report.");
        }
    }
}
