using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Security;

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

    public static void RequireJustification(string? justification, string what, string option = "--justification")
    {
        if (string.IsNullOrWhiteSpace(justification) || justification.Trim().Length < 10)
        {
            throw ReleaseException.Usage($"{what} needs {option} \"<why>\" of at least 10 characters; it is recorded in the ledger and shown in every report.");
        }

        RequireOneLine(justification, option);
    }

    /// <summary>
    /// Text people give (a comment, a reason, a justification) is shown line by line in <c>release status</c>:
    /// a line break or an escape sequence in it could make it read as another entry (a gate that passed, an
    /// approval nobody gave), so it is refused.
    /// </summary>
    public static void RequireOneLine(string? text, string option)
    {
        if (text is not null && text.Any(DisplayText.IsBreaking))
        {
            throw ReleaseException.Usage($"{option} may not contain line breaks, tabs, other control characters or bidirectional-text controls such as U+202E (in `release status` they could make it read as another entry, or display reversed); write it on one line of plain text.");
        }
    }
}
