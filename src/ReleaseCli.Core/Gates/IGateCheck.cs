namespace ReleaseCli.Core.Gates;

/// <summary>One kind of promotion gate.</summary>
public interface IGateCheck
{
    string Kind { get; }

    Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken);
}
