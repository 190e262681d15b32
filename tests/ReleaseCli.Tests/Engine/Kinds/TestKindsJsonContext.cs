using System.Text.Json.Serialization;

namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>Source-generated binding of the test step kinds' settings and outputs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ExternalRunSettings))]
[JsonSerializable(typeof(EchoSettings))]
[JsonSerializable(typeof(EchoOutput))]
public sealed partial class TestKindsJsonContext : JsonSerializerContext;
