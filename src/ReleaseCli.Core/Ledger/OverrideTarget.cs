using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>What an override passes: a step, one leg of a step, a check gate, or the ring's entry check.</summary>
[JsonConverter(typeof(OverrideTargetJsonConverter))]
public sealed record OverrideTarget(OverrideTargetKind Kind, string? Id = null, string? Leg = null)
{
    public static OverrideTarget Entry { get; } = new(OverrideTargetKind.Entry);

    public static OverrideTarget ForStep(string step) => new(OverrideTargetKind.Step, step);

    public static OverrideTarget ForLeg(string step, string leg) => new(OverrideTargetKind.Leg, step, leg);

    public static OverrideTarget ForGate(string gate) => new(OverrideTargetKind.Gate, gate);

    /// <summary>How the target reads in the ledger and in messages: <c>step:id</c>, <c>leg:step#leg</c>, <c>gate:id</c>, <c>entry</c>.</summary>
    public override string ToString() => Kind switch
    {
        OverrideTargetKind.Entry => "entry",
        OverrideTargetKind.Step => $"step:{Id}",
        OverrideTargetKind.Leg => $"leg:{Id}#{Leg}",
        _ => $"gate:{Id}",
    };

    /// <summary>Reads the ledger's spelling back; null when it is none of them.</summary>
    public static OverrideTarget? Parse(string text)
    {
        if (text == "entry")
        {
            return Entry;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return null;
        }

        var rest = text[(colon + 1)..];
        switch (text[..colon])
        {
            case "step":
                return ForStep(rest);
            case "gate":
                return ForGate(rest);
            case "leg":
                // Step ids never hold '#', leg names may: the first one separates them.
                var hash = rest.IndexOf('#', StringComparison.Ordinal);
                return hash <= 0 || hash == rest.Length - 1 ? null : ForLeg(rest[..hash], rest[(hash + 1)..]);
            default:
                return null;
        }
    }
}
