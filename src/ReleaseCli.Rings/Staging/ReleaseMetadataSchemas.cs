using System.Text.Json.Nodes;
using Json.Schema;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// The JSON Schemas (draft 2020-12) of the three metadata files, embedded in this assembly, and the
/// check of a document against them. Metadata is never written unless it passes.
/// </summary>
public static class ReleaseMetadataSchemas
{
    private static readonly Lazy<JsonSchema> ChannelReleases = new(() => Load("releases.schema.json"));
    private static readonly Lazy<JsonSchema> PatchRelease = new(() => Load("patch-release.schema.json"));
    private static readonly Lazy<JsonSchema> ReleasesIndex = new(() => Load("releases-index.schema.json"));

    private static readonly EvaluationOptions Options = new()
    {
        // Nested, so that the alternatives of an anyOf that passed can be left out of the errors.
        OutputFormat = OutputFormat.Hierarchical,
        RequireFormatValidation = true,
    };

    /// <summary>Every way the document breaks its schema, each as "JSON pointer: message"; empty when it is valid.</summary>
    public static IReadOnlyList<string> FindErrors(JsonNode document, ReleaseMetadataDocument kind)
    {
        ArgumentNullException.ThrowIfNull(document);
        var results = SchemaFor(kind).Evaluate(document, Options);
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        CollectErrors(results, errors);
        errors = errors.Distinct(StringComparer.Ordinal).ToList();
        return errors.Count > 0 ? errors : ["/: the document does not match the schema"];
    }

    /// <summary>Throws naming <paramref name="what"/> and every error when the document breaks its schema.</summary>
    public static void Validate(JsonNode document, ReleaseMetadataDocument kind, string what)
    {
        var errors = FindErrors(document, kind);
        if (errors.Count > 0)
        {
            throw ReleaseException.Usage($"{char.ToUpperInvariant(what[0])}{what[1..]} does not match the {kind} schema:\n  " + string.Join("\n  ", errors));
        }
    }

    private static void CollectErrors(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        var location = node.InstanceLocation.ToString() is { Length: > 0 } pointer ? pointer : "/";
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add($"{location}: {message} ({keyword})");
        }

        var children = node.Details ?? [];
        var alternatives = children.Where(c => AlternativeKeyword(c) is not null).ToList();
        var others = children.Where(c => AlternativeKeyword(c) is null).ToList();
        foreach (var child in others)
        {
            CollectErrors(child, errors);
        }

        // The library lists failed alternatives also under an anyOf that passed (through another
        // alternative), and names no error on the anyOf itself. Only when nothing else explains
        // why this node failed did its anyOf/oneOf fail; otherwise its alternatives are noise.
        var failedForOtherReasons = node.Errors is { Count: > 0 } || others.Any(c => !c.IsValid);
        if (alternatives.Count > 0 && !failedForOtherReasons)
        {
            errors.Add($"{location}: matches none of the alternatives ({AlternativeKeyword(alternatives[0])})");
            foreach (var alternative in alternatives)
            {
                CollectErrors(alternative, errors);
            }
        }
    }

    private static string? AlternativeKeyword(EvaluationResults node)
    {
        var segments = node.EvaluationPath.ToString().Split('/');
        return segments.Length >= 2 && segments[^2] is "anyOf" or "oneOf" && segments[^1].All(char.IsAsciiDigit)
            ? segments[^2]
            : null;
    }

    private static JsonSchema SchemaFor(ReleaseMetadataDocument kind) => kind switch
    {
        ReleaseMetadataDocument.ChannelReleases => ChannelReleases.Value,
        ReleaseMetadataDocument.PatchRelease => PatchRelease.Value,
        ReleaseMetadataDocument.ReleasesIndex => ReleasesIndex.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static JsonSchema Load(string fileName)
    {
        var resource = "ReleaseCli.Rings.Staging.Schemas." + fileName;
        using var stream = typeof(ReleaseMetadataSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The schema resource '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
