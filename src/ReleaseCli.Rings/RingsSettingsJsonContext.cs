using System.Text.Json.Serialization;
using ReleaseCli.Rings.BuildValidation.Steps;
using ReleaseCli.Rings.Commands;
using ReleaseCli.Rings.Prep;
using ReleaseCli.Rings.Publishing;
using ReleaseCli.Rings.SourceValidation;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings;

/// <summary>Source-generated binding of the settings records of the ring steps (camelCase keys, as in release.json).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(GatherDropSettings))]
[JsonSerializable(typeof(CommandSettings))]
[JsonSerializable(typeof(SigningValidationSettings))]
[JsonSerializable(typeof(PackageValidationSettings))]
[JsonSerializable(typeof(SymbolValidationSettings))]
[JsonSerializable(typeof(SourceLinkValidationSettings))]
[JsonSerializable(typeof(ChecksumValidationSettings))]
[JsonSerializable(typeof(AssetValidationSettings))]
[JsonSerializable(typeof(BinSkimSettings))]
[JsonSerializable(typeof(SdlValidationSettings))]
[JsonSerializable(typeof(ArchiveSettings))]
[JsonSerializable(typeof(ChecksumsSettings))]
[JsonSerializable(typeof(SignSettings))]
[JsonSerializable(typeof(ReleaseNotesSettings))]
[JsonSerializable(typeof(ReleaseMetadataSettings))]
[JsonSerializable(typeof(PipelinePublishSettings))]
[JsonSerializable(typeof(StagedArtifacts))]
[JsonSerializable(typeof(BlobPublishSettings))]
[JsonSerializable(typeof(CdnValidateSettings))]
[JsonSerializable(typeof(SymbolsPublishSettings))]
[JsonSerializable(typeof(PublishedFiles))]
[JsonSerializable(typeof(NuGetPublishSettings))]
[JsonSerializable(typeof(GitTagsSettings))]
[JsonSerializable(typeof(GitHubReleaseSettings))]
public sealed partial class RingsSettingsJsonContext : JsonSerializerContext;
