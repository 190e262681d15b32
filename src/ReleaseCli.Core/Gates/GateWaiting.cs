using System.Text.Json.Nodes;

namespace ReleaseCli.Core.Gates;

/// <summary>
/// Who a pending people gate waits for, kept in its <c>GateEvaluated</c> event (<c>data.waiting</c>) so that
/// status and scripts read it as data, not out of the message.
/// </summary>
/// <param name="Given">Approvals (or, on a sign-offs gate, teams signed off) that count now.</param>
/// <param name="Needed">How many the gate needs.</param>
/// <param name="MayApprove">The people who may still give one (not those who ran the ring, unless the gate allows it).</param>
/// <param name="Teams">On a sign-offs gate: the teams that have not signed off; null on an approval gate.</param>
public sealed record GateWaiting(int Given, int Needed, IReadOnlyList<string> MayApprove, IReadOnlyList<string>? Teams = null)
{
    public const string Key = "waiting";

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["given"] = Given,
            ["needed"] = Needed,
            ["mayApprove"] = new JsonArray([.. MayApprove.Select(p => (JsonNode)p)]),
        };
        if (Teams is not null)
        {
            json["teams"] = new JsonArray([.. Teams.Select(t => (JsonNode)t)]);
        }

        return json;
    }

    public static GateWaiting? Read(JsonObject? data) =>
        data?[Key] is JsonObject waiting
            ? new GateWaiting(
                (int?)waiting["given"] ?? 0,
                (int?)waiting["needed"] ?? 0,
                Strings(waiting["mayApprove"]),
                waiting["teams"] is JsonArray ? Strings(waiting["teams"]) : null)
            : null;

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(n => (string?)n).OfType<string>()] : [];
}
