using System.Text.Json.Nodes;
using Json.Schema;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>The JSON contract of <c>--output json</c>: the schemas under docs/output, and the check of a verb's document against one.</summary>
public static class OutputSchemas
{
    public static string Folder { get; } = Path.Combine(SampleProducts.RepositoryRoot, "docs", "output");

    private static readonly Lazy<(EvaluationOptions Options, Dictionary<string, JsonSchema> ByName)> Schemas = new(Load);

    /// <summary>Fails naming every place where <paramref name="json"/> breaks <c>docs/output/&lt;name&gt;.schema.json</c>.</summary>
    public static JsonNode AssertValid(string name, string json)
    {
        var (options, byName) = Schemas.Value;
        Assert.True(byName.ContainsKey(name), $"no schema docs/output/{name}.schema.json");
        var document = JsonNode.Parse(json);
        Assert.NotNull(document);
        var result = byName[name].Evaluate(document, options);
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .ToList();
        Assert.True(result.IsValid, $"the document does not match docs/output/{name}.schema.json:\n  {string.Join("\n  ", errors)}\n{json}");
        return document;
    }

    /// <summary>Whether <paramref name="json"/> matches the schema (to show that a wrong document is caught).</summary>
    public static bool IsValid(string name, string json) => Schemas.Value.ByName[name].Evaluate(JsonNode.Parse(json), Schemas.Value.Options).IsValid;

    private static (EvaluationOptions, Dictionary<string, JsonSchema>) Load()
    {
        // The schemas refer to each other by their $id (ring.schema.json uses status.schema.json's $defs).
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        var byName = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Folder, "*.schema.json"))
        {
            var schema = JsonSchema.FromText(File.ReadAllText(file));
            options.SchemaRegistry.Register(schema);
            byName[Path.GetFileName(file)[..^".schema.json".Length]] = schema;
        }

        return (options, byName);
    }
}
