using System.Text.Json.Serialization;

namespace ReleaseCli.Integrations.Signing.Json;

/// <summary>Source-generated reading of the signing service's answers (docs/stage.md, "The signing service"; camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SignRequestAcceptedJson))]
[JsonSerializable(typeof(SignRequestJson))]
[JsonSerializable(typeof(SigningServiceErrorJson))]
internal sealed partial class SigningServiceJsonContext : JsonSerializerContext;
