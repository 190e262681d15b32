using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// The typed outputs a step may read: those of the steps it depends on in its ring, and those of any step
/// of an earlier ring that succeeded for the current contract.
/// </summary>
public sealed class StepOutputs
{
    private readonly string _ring;
    private readonly string _step;
    private readonly IReadOnlyDictionary<string, StepRunResult> _dependencies;
    private readonly ReleaseState _state;

    internal StepOutputs(string ring, string step, IReadOnlyDictionary<string, StepRunResult> dependencies, ReleaseState state)
    {
        _ring = ring;
        _step = step;
        _dependencies = dependencies;
        _state = state;
    }

    /// <summary>The output of <paramref name="stepId"/>, a step this one depends on.</summary>
    public T Get<T>(string stepId, JsonTypeInfo<T> typeInfo)
    {
        if (!_dependencies.TryGetValue(stepId, out var result))
        {
            throw ReleaseException.Usage($"step '{_step}' of {_ring} reads the output of '{stepId}' but does not depend on it; add \"{stepId}\" to its dependsOn in the release definition");
        }

        return Read(result.Output, $"{_ring}/{stepId}", typeInfo);
    }

    /// <summary>The output of step <paramref name="stepId"/> of an earlier ring, from its success for the current contract.</summary>
    public T Get<T>(string ring, string stepId, JsonTypeInfo<T> typeInfo)
    {
        if (ring == _ring)
        {
            return Get(stepId, typeInfo);
        }

        var record = _state.LastSucceededStep(ring, stepId)
            ?? throw new ReleaseException(ExitCode.Failed, $"step '{_step}' of {_ring} needs the output of {ring}/{stepId}, which has not succeeded for this contract; run `release {ring}` first");
        return Read(record.Output, $"{ring}/{stepId}", typeInfo);
    }

    private T Read<T>(JsonNode? output, string source, JsonTypeInfo<T> typeInfo)
    {
        if (output is null)
        {
            throw ReleaseException.Usage($"step '{_step}' of {_ring} reads the output of {source}, which has none; check the kinds of the steps in dependsOn");
        }

        try
        {
            return output.Deserialize(typeInfo) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw ReleaseException.Usage($"step '{_step}' of {_ring} cannot read the output of {source} as {typeof(T).Name} ({ex.Message}); check the kinds of the steps in dependsOn");
        }
    }
}
