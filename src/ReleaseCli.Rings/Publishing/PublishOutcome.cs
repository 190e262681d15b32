using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Publishing;

/// <summary>A publish step's outcome from its targets' reports: succeeded only when every target took and read back every item.</summary>
public static class PublishOutcome
{
    public static StepOutcome Of(IReadOnlyList<PublishReport> reports, string nothing)
    {
        if (reports.Count == 0)
        {
            return StepOutcome.Succeeded(nothing);
        }

        var summary = string.Join("; ", reports.Select(r => r.Summary));
        return reports.All(r => r.Succeeded) ? StepOutcome.Succeeded(summary) : StepOutcome.Failed(summary);
    }
}
