using ReleaseCli.Core.Engine;

namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>
/// The trivial step kind of docs/extending.md: typed settings, a typed output, an optional artifact, and reading
/// the output of a step it depends on or of an earlier ring's step.
/// </summary>
public sealed class EchoStep() : RingStep<EchoSettings>(Descriptor, TestKindsJsonContext.Default.EchoSettings)
{
    private int _runs;

    public static StepKindDescriptor Descriptor { get; } = new("echo", "says its text, after the output it reads", Rings: null, Create: _ => new EchoStep());

    public int Runs => _runs;

    protected override IEnumerable<(string Key, string Message)> Validate(EchoSettings settings)
    {
        if (settings.ReadRing is not null && settings.ReadStep is null)
        {
            yield return ("readRing", "needs readStep.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, EchoSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(settings));

    protected override async Task<StepOutcome> RunAsync(StepContext context, EchoSettings settings, CancellationToken cancellationToken)
    {
        var runs = Interlocked.Increment(ref _runs);
        var text = settings.Text;
        if (settings.ReadStep is { } step)
        {
            var outputs = context.RequireOutputs();
            var read = settings.ReadRing is { } ring
                ? outputs.Get(ring, step, TestKindsJsonContext.Default.EchoOutput)
                : outputs.Get(step, TestKindsJsonContext.Default.EchoOutput);
            text = $"{read.Text}+{text}";
        }

        if (settings.Artifact is { } name)
        {
            await context.RequireArtifacts().WriteAsync(name, (stream, ct) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).AsTask(), cancellationToken);
        }

        return StepOutcome.Succeeded(text).WithOutput(new EchoOutput(text, runs), TestKindsJsonContext.Default.EchoOutput);
    }
}
