using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Builds .NET's release metadata for a new patch release: its <c>release.json</c>, and the channel's
/// <c>releases.json</c> and the <c>releases-index.json</c> merged from the published ones. A merge
/// keeps every existing release and key as it was (key order too, so the published diff is the new
/// release and the <c>latest-*</c> fields only); the new release goes first.
/// </summary>
public sealed class ReleaseMetadataBuilder
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The per-patch <c>release.json</c>: <c>{ channel-version, release }</c>.</summary>
    public JsonObject BuildPatchRelease(ReleaseMetadataInput release)
    {
        Validate(release);
        return new JsonObject
        {
            ["channel-version"] = release.ChannelVersion,
            ["release"] = BuildReleaseEntry(release),
        };
    }

    /// <summary>The channel's <c>releases.json</c> with <paramref name="release"/> added first and the <c>latest-*</c> fields moved to it.</summary>
    public JsonObject MergeIntoChannel(JsonObject existingChannel, ReleaseMetadataInput release)
    {
        ArgumentNullException.ThrowIfNull(existingChannel);
        Validate(release);
        ReleaseMetadataSchemas.Validate(existingChannel, ReleaseMetadataDocument.ChannelReleases, "the existing releases.json");
        var channelVersion = (string)existingChannel["channel-version"]!;
        if (channelVersion != release.ChannelVersion)
        {
            throw ReleaseException.Usage(
                $"The existing releases.json is for channel '{channelVersion}', but release {release.ReleaseVersion} is in channel '{release.ChannelVersion}'.");
        }

        var existingReleases = (JsonArray)existingChannel["releases"]!;
        if (existingReleases.Any(r => (string?)r?["release-version"] == release.ReleaseVersion))
        {
            throw ReleaseException.Usage(
                $"Release {release.ReleaseVersion} is already in the channel {channelVersion} releases.json; merge into the releases.json published before it.");
        }

        EnsureNotOlderThanLatest((string)existingChannel["latest-release-date"]!, (string)existingChannel["latest-release"]!, release);
        var merged = new JsonObject();
        foreach (var (key, value) in existingChannel)
        {
            merged[key] = key == "releases"
                ? new JsonArray([BuildReleaseEntry(release), .. existingReleases.Select(r => r?.DeepClone())])
                : LatestFieldOrNull(key, release) ?? value?.DeepClone();
        }

        return merged;
    }

    /// <summary>The <c>releases.json</c> of a new channel whose first release is <paramref name="release"/>.</summary>
    public JsonObject CreateChannel(ReleaseMetadataInput release, ReleaseChannelLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        Validate(release);
        var (runtime, sdk) = FirstChannelComponents(release);
        return new JsonObject
        {
            ["channel-version"] = release.ChannelVersion,
            ["latest-release"] = release.ReleaseVersion,
            ["latest-release-date"] = FormatDate(release.ReleaseDate),
            ["latest-runtime"] = runtime,
            ["latest-sdk"] = sdk,
            ["support-phase"] = lifecycle.SupportPhase,
            ["release-type"] = lifecycle.ReleaseType,
            ["eol-date"] = FormatDate(lifecycle.EolDate),
            ["lifecycle-policy"] = lifecycle.LifecyclePolicyUrl,
            ["releases"] = new JsonArray(BuildReleaseEntry(release)),
        };
    }

    /// <summary>
    /// <c>releases-index.json</c> with an entry for the new channel of <paramref name="release"/>, placed as .NET orders
    /// the index (the newest channel first: before the first channel with a lower version); every other entry is kept.
    /// </summary>
    public JsonObject AddChannelToIndex(JsonObject existingIndex, ReleaseMetadataInput release, ReleaseChannelLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(existingIndex);
        ArgumentNullException.ThrowIfNull(lifecycle);
        Validate(release);
        ReleaseMetadataSchemas.Validate(existingIndex, ReleaseMetadataDocument.ReleasesIndex, "the existing releases-index.json");
        var (runtime, sdk) = FirstChannelComponents(release);
        var merged = (JsonObject)existingIndex.DeepClone();
        var channels = (JsonArray)merged["releases-index"]!;
        if (channels.Any(c => (string?)c?["channel-version"] == release.ChannelVersion))
        {
            throw ReleaseException.Usage(
                $"releases-index.json already has channel '{release.ChannelVersion}'; merge the release into it instead of adding the channel.");
        }

        // Keys in the order of the published index's entries.
        channels.Insert(IndexPosition(channels, release.ChannelVersion), new JsonObject
        {
            ["channel-version"] = release.ChannelVersion,
            ["latest-release"] = release.ReleaseVersion,
            ["latest-release-date"] = FormatDate(release.ReleaseDate),
            ["security"] = release.Security,
            ["latest-runtime"] = runtime,
            ["latest-sdk"] = sdk,
            ["product"] = lifecycle.Product,
            ["support-phase"] = lifecycle.SupportPhase,
            ["release-type"] = lifecycle.ReleaseType,
            ["releases.json"] = lifecycle.ReleasesJsonUrl,
            ["eol-date"] = FormatDate(lifecycle.EolDate),
        });
        return merged;
    }

    private static int IndexPosition(JsonArray channels, string channelVersion)
    {
        if (!Version.TryParse(channelVersion, out var added))
        {
            return 0;
        }

        for (var i = 0; i < channels.Count; i++)
        {
            if (Version.TryParse((string?)channels[i]?["channel-version"], out var existing) && existing < added)
            {
                return i;
            }
        }

        return channels.Count;
    }

    /// <summary><c>releases-index.json</c> with the channel's entry pointing at <paramref name="release"/>; every other entry is kept.</summary>
    public JsonObject MergeIntoIndex(JsonObject existingIndex, ReleaseMetadataInput release)
    {
        ArgumentNullException.ThrowIfNull(existingIndex);
        Validate(release);
        ReleaseMetadataSchemas.Validate(existingIndex, ReleaseMetadataDocument.ReleasesIndex, "the existing releases-index.json");
        var merged = (JsonObject)existingIndex.DeepClone();
        var channels = (JsonArray)merged["releases-index"]!;
        var entry = channels.OfType<JsonObject>().FirstOrDefault(c => (string?)c["channel-version"] == release.ChannelVersion)
            ?? throw ReleaseException.Usage(
                $"releases-index.json has no entry for channel '{release.ChannelVersion}'; it lists {string.Join(", ", channels.Select(c => (string?)c?["channel-version"]))}.");
        EnsureNotOlderThanLatest((string)entry["latest-release-date"]!, (string)entry["latest-release"]!, release);
        foreach (var key in entry.Select(p => p.Key).ToList())
        {
            var latest = key == "security" ? JsonValue.Create(release.Security) : LatestFieldOrNull(key, release);
            if (latest is not null)
            {
                entry[key] = latest;
            }
        }

        return merged;
    }

    private static JsonNode? LatestFieldOrNull(string key, ReleaseMetadataInput release) => key switch
    {
        "latest-release" => release.ReleaseVersion,
        "latest-release-date" => FormatDate(release.ReleaseDate),
        // A product without a runtime or an SDK leaves the channel's latest one as it was.
        "latest-runtime" => release.Find(ReleaseComponentKind.Runtime)?.Version,
        "latest-sdk" => release.Find(ReleaseComponentKind.Sdk)?.Version,
        _ => null,
    };

    // A channel's metadata must name its latest runtime and SDK; a first release has to bring both.
    private static (string Runtime, string Sdk) FirstChannelComponents(ReleaseMetadataInput release)
    {
        var runtime = release.Find(ReleaseComponentKind.Runtime)?.Version;
        var sdk = release.Find(ReleaseComponentKind.Sdk)?.Version;
        if (runtime is null || sdk is null)
        {
            var missing = string.Join(" and ", new[] { runtime is null ? "a runtime" : null, sdk is null ? "an SDK" : null }.OfType<string>());
            throw ReleaseException.Usage(
                $"Release {release.ReleaseVersion} opens channel {release.ChannelVersion}, whose metadata names the latest runtime and SDK; " +
                $"give the release {missing} component.");
        }

        return (runtime, sdk);
    }

    private static void EnsureNotOlderThanLatest(string latestDate, string latestRelease, ReleaseMetadataInput release)
    {
        if (string.CompareOrdinal(FormatDate(release.ReleaseDate), latestDate) < 0)
        {
            throw ReleaseException.Usage(
                $"Release {release.ReleaseVersion} is dated {FormatDate(release.ReleaseDate)}, before the channel's latest release {latestRelease} ({latestDate}); the newest release must come first.");
        }
    }

    // Keys in the order .NET's published files have them.
    private static JsonObject BuildReleaseEntry(ReleaseMetadataInput release)
    {
        var entry = new JsonObject
        {
            ["release-date"] = FormatDate(release.ReleaseDate),
            ["release-version"] = release.ReleaseVersion,
            ["security"] = release.Security,
            ["cve-list"] = new JsonArray(release.Cves
                .Select(c => (JsonNode)new JsonObject { ["cve-id"] = c.Id, ["cve-url"] = c.Url })
                .ToArray()),
            ["release-notes"] = release.ReleaseNotesUrl,
        };
        if (release.Find(ReleaseComponentKind.Runtime) is { } runtime)
        {
            entry["runtime"] = BuildComponent(runtime);
        }

        if (release.Find(ReleaseComponentKind.Sdk) is { } sdk)
        {
            entry["sdk"] = BuildComponent(sdk);
            // Every SDK band of the release; this product ships one.
            entry["sdks"] = new JsonArray(BuildComponent(sdk));
        }

        if (release.Find(ReleaseComponentKind.AspNetCoreRuntime) is { } aspNetCore)
        {
            entry["aspnetcore-runtime"] = BuildComponent(aspNetCore);
        }

        if (release.Find(ReleaseComponentKind.WindowsDesktop) is { } windowsDesktop)
        {
            entry["windowsdesktop"] = BuildComponent(windowsDesktop);
        }

        return entry;
    }

    private static JsonObject BuildComponent(ReleaseComponent component)
    {
        var node = new JsonObject
        {
            ["version"] = component.Version,
            ["version-display"] = component.Version,
        };
        if (component.RuntimeVersion is not null)
        {
            node["runtime-version"] = component.RuntimeVersion;
        }

        node["files"] = new JsonArray(component.Files
            .Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["rid"] = f.Rid,
                ["url"] = f.Url,
                ["hash"] = Sha512Hex.Normalize(f.Sha512, f.Name),
            })
            .ToArray());
        return node;
    }

    private static string FormatDate(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static void Validate(ReleaseMetadataInput release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(release.ChannelVersion))
        {
            problems.Add("the channel version is empty");
        }

        if (string.IsNullOrWhiteSpace(release.ReleaseVersion))
        {
            problems.Add("the release version is empty");
        }

        if (string.IsNullOrWhiteSpace(release.ReleaseNotesUrl))
        {
            problems.Add("the release notes URL is empty");
        }

        if (release.Components.Count == 0)
        {
            problems.Add("there is no component (runtime, sdk, aspnetcore-runtime or windowsdesktop)");
        }

        problems.AddRange(release.Components.GroupBy(c => c.Kind).Where(g => g.Count() > 1)
            .Select(g => $"the component {g.Key} is given {g.Count()} times"));
        problems.AddRange(release.Components.Where(c => c.Kind != ReleaseComponentKind.Sdk && c.RuntimeVersion is not null)
            .Select(c => $"the component {c.Kind} has a runtime version; only an SDK has one"));
        problems.AddRange(release.Cves.Where(c => string.IsNullOrWhiteSpace(c.Id) || string.IsNullOrWhiteSpace(c.Url))
            .Select(c => $"the CVE '{c.Id}' needs both an id and a URL"));
        foreach (var file in release.Components.SelectMany(c => c.Files))
        {
            if (new[] { file.Name, file.Rid, file.Url }.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"the file '{file.Name}' ({file.Rid}) needs a name, a rid and a URL");
            }

            try
            {
                Sha512Hex.Normalize(file.Sha512, file.Name);
            }
            catch (ReleaseException invalid)
            {
                problems.Add(invalid.Message.TrimEnd('.'));
            }
        }

        if (problems.Count > 0)
        {
            throw ReleaseException.Usage(
                $"The release metadata for {release.ReleaseVersion} cannot be built:\n  " + string.Join("\n  ", problems));
        }
    }
}
