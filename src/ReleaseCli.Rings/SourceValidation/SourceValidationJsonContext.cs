using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>Source-generated JSON of what the sdl-validation step hands on: its output and each leg's data.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SdlValidationOutput))]
[JsonSerializable(typeof(SdlLegSummary))]
public sealed partial class SourceValidationJsonContext : JsonSerializerContext;
