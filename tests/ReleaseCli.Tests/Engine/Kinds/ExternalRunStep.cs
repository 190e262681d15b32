using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>
/// A step kind that starts work outside and waits for it, written as docs/extending.md says: it records each
/// run the moment it is started and, when the engine hands it runs it recorded earlier, polls them instead.
/// </summary>
public sealed class ExternalRunStep(FakeExternalSystem system) : RingStep<ExternalRunSettings>(Descriptor, TestKindsJsonContext.Default.ExternalRunSettings)
{
    public static StepKindDescriptor Descriptor { get; } = new("external-run", "starts a run outside and waits for it", Rings: null, Create: _ => throw new NotSupportedException());

    protected override Task<string> ComputeInputDigestAsync(StepContext context, ExternalRunSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfText(string.Join(',', settings.Legs)));

    protected override async Task<StepOutcome> RunAsync(StepContext context, ExternalRunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Legs.Count == 0)
        {
            var leg = await RunLegAsync(context, null, cancellationToken);
            return new StepOutcome(leg.Status, leg.Message);
        }

        var legs = new List<LegOutcome>();
        foreach (var name in settings.Legs)
        {
            legs.Add(await RunLegAsync(context, name, cancellationToken));
        }

        return StepOutcome.FromLegs(legs, $"{legs.Count(l => l.Status == StepStatus.Succeeded)} of {legs.Count} leg(s) succeeded");
    }

    private async Task<LegOutcome> RunLegAsync(StepContext context, string? leg, CancellationToken cancellationToken)
    {
        var run = context.ExternalRun(leg);
        if (run is null)
        {
            var id = system.Start(leg);
            await context.RecordExternalRunAsync(new ExternalRunEntry(id, $"https://runs.example/{id}", leg), cancellationToken);
            return new LegOutcome(leg ?? "-", StepStatus.Pending, $"{id} started", $"https://runs.example/{id}");
        }

        return system.Poll(run.Id, leg) switch
        {
            null => new LegOutcome(leg ?? "-", StepStatus.Pending, $"{run.Id} running", run.Link),
            true => new LegOutcome(leg ?? "-", StepStatus.Succeeded, $"{run.Id} succeeded", run.Link),
            false => new LegOutcome(leg ?? "-", StepStatus.Failed, $"{run.Id} failed", run.Link),
        };
    }
}
