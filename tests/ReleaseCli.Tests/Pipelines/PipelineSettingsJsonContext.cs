using System.Text.Json.Serialization;

namespace ReleaseCli.Tests.Pipelines;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PipelineStepSettings))]
public sealed partial class PipelineSettingsJsonContext : JsonSerializerContext;
