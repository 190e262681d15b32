using System.Text.Json.Serialization;
using ReleaseCli.Rings.Commands;
using ReleaseCli.Rings.Prep;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings;

/// <summary>Source-generated binding of the settings records of the ring steps (camelCase keys, as in release.json).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(GatherDropSettings))]
[JsonSerializable(typeof(CommandSettings))]
[JsonSerializable(typeof(ArchiveSettings))]
[JsonSerializable(typeof(ChecksumsSettings))]
[JsonSerializable(typeof(SignSettings))]
[JsonSerializable(typeof(ReleaseNotesSettings))]
[JsonSerializable(typeof(ReleaseMetadataSettings))]
[JsonSerializable(typeof(StagedArtifacts))]
public sealed partial class RingsSettingsJsonContext : JsonSerializerContext;
