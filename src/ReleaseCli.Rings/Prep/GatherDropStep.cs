using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Prep;

/// <summary>
/// Prep's gather-drop: every asset of the candidate into the drop in darc's layout, hashed on the way,
/// then the contract sealed from what was gathered.
/// Settings: <c>nonShipping</c> (bool, default false), <c>maxDownloads</c> (1–256, default 8),
/// <c>assetFilter</c> (regex on asset names).
/// </summary>
public sealed class GatherDropStep(IEnumerable<IAssetSource> sources) : IRingStep
{
    public const string StepKind = "gather-drop";

    public string Kind => StepKind;

    public IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings)
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in settings.EnumerateObject())
        {
            switch (property.Name)
            {
                case "nonShipping" when property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                    yield return (property.Name, "expected true or false.");
                    break;
                case "maxDownloads" when property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var n) || n < 1 || n > 256:
                    yield return (property.Name, "expected a whole number from 1 to 256.");
                    break;
                case "assetFilter" when property.Value.ValueKind != JsonValueKind.String || !IsRegex(property.Value.GetString()!):
                    yield return (property.Name, "expected a valid regular expression string.");
                    break;
                case "nonShipping" or "maxDownloads" or "assetFilter":
                    break;
                default:
                    yield return (property.Name, "unknown setting; gather-drop takes nonShipping, maxDownloads and assetFilter.");
                    break;
            }
        }
    }

    public Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken)
    {
        var builds = context.Candidate.Builds.Select(b => new
        {
            b.Id,
            b.Commit,
            Assets = b.Assets.Select(a => new { a.Name, a.Version, a.NonShipping, Locations = a.Locations.Select(l => $"{l.Type}:{l.Location}") }),
        });
        return Task.FromResult(Digest.OfJson(new { Settings = Digest.SettingsText(context.Settings), context.DropPath, builds }));
    }

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var options = ReadOptions(context.Settings);
        var gatherer = new DropGatherer(sources, context.Logger);
        var journal = Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "gather-journal.jsonl");
        var result = await gatherer.GatherAsync(context.Candidate, options, context.DropPath, journal, cancellationToken).ConfigureAwait(false);
        var data = new JsonObject
        {
            ["files"] = result.Files.Count,
            ["bytes"] = result.Bytes,
            ["downloaded"] = result.Downloaded,
            ["alreadyPresent"] = result.Files.Count - result.Downloaded,
            ["builds"] = context.Candidate.Builds.Count,
        };
        if (result.Failures.Count > 0)
        {
            data["failures"] = new JsonArray([.. result.Failures.Select(f => JsonValue.Create(f))]);
            return StepOutcome.Failed($"{result.Failures.Count} of {result.Files.Count + result.Failures.Count} asset(s) could not be gathered: {string.Join("; ", result.Failures.Take(5))}", data);
        }

        if (result.Files.Count == 0)
        {
            return StepOutcome.Failed("the candidate has no assets to gather (check the build in BAR and the assetFilter / nonShipping settings)", data);
        }

        var removed = RemoveFilesNotGathered(context.DropPath, result.Files);
        if (removed > 0)
        {
            data["removed"] = removed;
        }

        var contract = new ReleaseContract
        {
            ReleaseId = context.Definition.ReleaseId,
            Product = context.Definition.Product,
            Version = context.Definition.Version,
            RootBuildId = context.Candidate.Root.Id,
            IncludesNonShipping = options.IncludeNonShipping,
            Builds = [.. context.Candidate.Builds.Select(b => new ContractBuild(b.Id, b.Repository, b.Commit, b.AzureDevOpsBuildNumber, b.Id == context.Candidate.Root.Id))],
            Assets = [.. result.Files.Select(f => new ContractAsset(f.Name, f.Version, f.Shipping, f.IsPackage, f.BuildId, f.Size, f.Sha512, f.DropPath))],
        };
        var digest = await context.SealContractAsync(contract, cancellationToken).ConfigureAwait(false);
        data["contractDigest"] = digest;
        return StepOutcome.Succeeded(
            $"gathered {result.Files.Count} file(s), {result.Bytes:N0} bytes, from {context.Candidate.Builds.Count} build(s) ({result.Downloaded} fetched, {result.Files.Count - result.Downloaded} already present{(removed > 0 ? $", {removed} left from an earlier candidate removed" : string.Empty)}); contract {digest}",
            data);
    }

    /// <summary>
    /// The drop holds exactly the sealed candidate: files left from an earlier candidate (a respin)
    /// would otherwise be mistaken for tampering by the contract check.
    /// </summary>
    private static int RemoveFilesNotGathered(string dropPath, IReadOnlyList<GatheredFile> files)
    {
        var gathered = files.Select(f => f.DropPath).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(dropPath, "*", SearchOption.AllDirectories))
        {
            if (!gathered.Contains(Path.GetRelativePath(dropPath, file).Replace('\\', '/')))
            {
                File.Delete(file);
                removed++;
            }
        }

        return removed;
    }

    private static GatherOptions ReadOptions(JsonElement settings)
    {
        bool nonShipping = false;
        var maxDownloads = 8;
        Regex? filter = null;
        if (settings.ValueKind == JsonValueKind.Object)
        {
            if (settings.TryGetProperty("nonShipping", out var ns))
            {
                nonShipping = ns.GetBoolean();
            }

            if (settings.TryGetProperty("maxDownloads", out var md))
            {
                maxDownloads = md.GetInt32();
            }

            if (settings.TryGetProperty("assetFilter", out var af))
            {
                filter = new Regex(af.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
        }

        return new GatherOptions(nonShipping, maxDownloads, filter);
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
