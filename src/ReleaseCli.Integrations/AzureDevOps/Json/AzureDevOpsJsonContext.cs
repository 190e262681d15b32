using System.Text.Json.Serialization;

namespace ReleaseCli.Integrations.AzureDevOps.Json;

/// <summary>Source-generated (de)serialization of the Azure DevOps REST shapes (camelCase; null fields left out of requests).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunJson))]
[JsonSerializable(typeof(RunPipelineJson))]
[JsonSerializable(typeof(BuildArtifactListJson))]
[JsonSerializable(typeof(BuildListJson))]
[JsonSerializable(typeof(AzureDevOpsErrorJson))]
internal sealed partial class AzureDevOpsJsonContext : JsonSerializerContext;
