using System.Text.Json.Nodes;

namespace ReleaseCli.Core.Engine;

/// <summary>How a step's legs are kept in its ledger event's data (<c>data.legs</c>).</summary>
public static class LegsJson
{
    public const string Key = "legs";

    public static JsonArray Write(IEnumerable<LegOutcome> legs) =>
        new([.. legs.Select(l => (JsonNode)new JsonObject
        {
            ["name"] = l.Name,
            ["status"] = l.Status.ToString(),
            ["message"] = l.Message,
            ["link"] = l.Link,
            ["data"] = l.Data?.DeepClone(),
        })]);

    public static IReadOnlyList<LegOutcome> Read(JsonObject? data)
    {
        if (data?[Key] is not JsonArray legs)
        {
            return [];
        }

        return [.. legs.OfType<JsonObject>().Select(l => new LegOutcome(
            (string?)l["name"] ?? "?",
            Enum.TryParse<StepStatus>((string?)l["status"], out var status) ? status : StepStatus.Failed,
            (string?)l["message"] ?? string.Empty,
            (string?)l["link"])
        {
            Data = l["data"] as JsonObject,
        })];
    }
}
