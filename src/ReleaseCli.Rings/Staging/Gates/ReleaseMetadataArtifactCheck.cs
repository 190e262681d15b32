using System.Text.Json.Nodes;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>
/// Every metadata file must validate against its schema, and every file it lists must carry that file's SHA-512 and
/// its download URL (<c>downloadBaseUrl</c>, then the name), as the contract and the ledger say; and the release must
/// list every file the step's <c>components</c> name.
/// </summary>
public sealed class ReleaseMetadataArtifactCheck : IStagedArtifactCheck
{
    public string StepKind => ReleaseMetadataStep.StepKind;

    public async Task<IReadOnlyList<string>> CheckAsync(StagedArtifactScope scope, RecordedArtifact artifact, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(artifact.Entry.Name);
        var kind = name == ReleaseMetadataStep.IndexFile ? ReleaseMetadataDocument.ReleasesIndex
            : name == ReleaseMetadataStep.ChannelFile ? ReleaseMetadataDocument.ChannelReleases
            : ReleaseMetadataDocument.PatchRelease;
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(await scope.ReadAsync(artifact, cancellationToken).ConfigureAwait(false));
        }
        catch (System.Text.Json.JsonException invalid)
        {
            return [$"it is not valid JSON: {invalid.Message}"];
        }

        if (document is null)
        {
            return ["it is empty"];
        }

        var problems = ReleaseMetadataSchemas.FindErrors(document, kind).Select(e => $"it breaks the {kind} schema: {e}").ToList();
        var version = scope.Context.Definition.Version;
        var release = kind switch
        {
            ReleaseMetadataDocument.PatchRelease => document["release"],
            ReleaseMetadataDocument.ChannelReleases => (document["releases"] as JsonArray)?.FirstOrDefault(r => (string?)r?["release-version"] == version),
            _ => null,
        };
        var baseUrl = scope.Context.Definition.DownloadBaseUrl;
        var listed = (release as JsonObject)?.Where(p => p.Value is JsonObject).SelectMany(p => p.Value!["files"] as JsonArray ?? []).ToList() ?? [];
        if (release is not null)
        {
            // Every file the step's settings put in the release must still be listed: an entry removed by hand is no
            // wrong hash or URL, but the release would not offer that download.
            var settings = scope.SettingsOf(artifact, RingsSettingsJsonContext.Default.ReleaseMetadataSettings);
            var names = listed.Select(f => (string?)f?["name"]).ToHashSet(StringComparer.Ordinal);
            problems.AddRange((settings.Components ?? []).SelectMany(c => c.Files ?? []).Select(f => f.File)
                .Where(f => !names.Contains(f)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(f => $"it lists no entry for '{f}', which settings.components names"));
        }

        foreach (var file in listed)
        {
            var fileName = (string?)file?["name"];
            var expected = fileName is null ? null : scope.Sha512Of(fileName);
            if (expected != (string?)file?["hash"])
            {
                problems.Add($"its hash for '{fileName}' is not the file's SHA-512");
            }

            if (fileName is not null && baseUrl is not null && (string?)file?["url"] != DownloadableFiles.UrlOf(baseUrl, fileName))
            {
                problems.Add($"its url for '{fileName}' ({(string?)file?["url"]}) is not {DownloadableFiles.UrlOf(baseUrl, fileName)}");
            }
        }

        return problems;
    }
}
