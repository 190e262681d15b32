using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Core.Definition;

/// <summary>
/// Loads <c>release.json</c> and validates all of it, reporting every mistake with its JSON path.
/// </summary>
public sealed partial class ReleaseDefinitionLoader(IStepCatalog steps, IGateCatalog gateKinds)
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public ReleaseDefinition Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw ReleaseException.Usage($"The release definition {fullPath} is a folder. Pass --definition <path to release.json>, e.g. {Path.Combine(fullPath, "release.json")}.");
        }

        if (!File.Exists(fullPath))
        {
            throw ReleaseException.Usage(
                $"The release definition {fullPath} does not exist. Pass --definition <path to release.json>, or run from the folder that holds release.json.");
        }

        var text = ReadBounded(fullPath);
        return Parse(text, fullPath) with { SourceDigest = Engine.Digest.OfText(text) };
    }

    /// <summary>Whether reading a step binds and checks its settings; <see cref="LoadWithoutStepSettings"/> leaves that for later.</summary>
    private bool ChecksStepSettings { get; init; } = true;

    /// <summary>
    /// Loads and checks all of the definition but the steps' settings, which are bound only by the step kinds
    /// themselves: for a verb that runs no step (status) or may find it has none to run (a ring promoted under the
    /// same definition file and tool, which checked them when it ran). Call <see cref="CheckStepSettings"/> before
    /// running a step.
    /// </summary>
    public ReleaseDefinition LoadWithoutStepSettings(string path) =>
        new ReleaseDefinitionLoader(steps, gateKinds) { ChecksStepSettings = false }.Load(path) with { StepSettingsChecked = false };

    /// <summary>
    /// Binds and checks the settings of every step of <paramref name="definition"/>, as <see cref="Load"/> does,
    /// reporting every mistake with its JSON path; returns the definition marked checked.
    /// </summary>
    public ReleaseDefinition CheckStepSettings(ReleaseDefinition definition)
    {
        if (definition.StepSettingsChecked)
        {
            return definition;
        }

        var errors = new List<string>();
        foreach (var (name, ring) in RingName.All.Where(definition.Rings.ContainsKey).Select(name => (name, definition.Rings[name])))
        {
            for (var i = 0; i < ring.Steps.Count; i++)
            {
                var path = $"$.rings.{name}.steps[{i}]";
                ReportSettings((key, message) => errors.Add($"{path}.{key}: {message}"), ring.Steps[i].Kind, ring.Steps[i].Settings);
            }
        }

        return errors.Count > 0 ? throw new DefinitionException(definition.SourcePath, errors) : definition with { StepSettingsChecked = true };
    }

    /// <summary>The most of a definition that is read; a real one is a few KiB.</summary>
    public const int MaxDefinitionBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Reads at most <see cref="MaxDefinitionBytes"/> from a regular file. A pipe would block the verb for ever and a
    /// device such as /dev/zero would fill the memory; both report a size of 0, as an empty file does, so none is opened.
    /// </summary>
    private static string ReadBounded(string fullPath)
    {
        var size = new FileInfo(fullPath).Length;
        if (size == 0)
        {
            throw ReleaseException.Usage($"The release definition {fullPath} is empty, or not a regular file (a pipe or a device). Pass --definition <path to release.json>.");
        }

        if (size > MaxDefinitionBytes)
        {
            throw ReleaseException.Usage($"The release definition {fullPath} is {size:N0} bytes; a definition is at most {MaxDefinitionBytes / (1024 * 1024)} MiB. Check --definition names release.json.");
        }

        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var bytes = new byte[MaxDefinitionBytes + 1];
            var length = 0;
            int read;
            while (length < bytes.Length && (read = stream.Read(bytes, length, bytes.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaxDefinitionBytes)
            {
                throw ReleaseException.Usage($"The release definition {fullPath} grew past {MaxDefinitionBytes / (1024 * 1024)} MiB while it was read; a definition is at most that. Check --definition names release.json.");
            }

            using var reader = new StreamReader(new MemoryStream(bytes, 0, length), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReleaseException.Usage($"Cannot read the release definition {fullPath}: {ex.Message}");
        }
    }

    public ReleaseDefinition Parse(string json, string sourcePath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new DefinitionException(sourcePath, [$"$: not valid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {ex.Message}"]);
        }

        using (document)
        {
            var errors = new List<string>();
            JsonObjectReader.ReportDuplicateKeys(document.RootElement, "$", errors);
            var definition = Read(document.RootElement, sourcePath, errors);
            if (errors.Count > 0 || definition is null)
            {
                throw new DefinitionException(sourcePath, errors);
            }

            return definition;
        }
    }

    private ReleaseDefinition? Read(JsonElement root, string sourcePath, List<string> errors)
    {
        var reader = new JsonObjectReader(root, "$", errors);
        if (!reader.IsObject)
        {
            return null;
        }

        var product = reader.String("product", required: true, "the product's name, e.g. \"Contoso Sample\"");
        var version = reader.String("version", required: true, "the product version being released, e.g. \"1.0.0\"");
        if (version is not null && !SemanticVersion().IsMatch(version))
        {
            reader.Error("version", $"'{version}' is not a version like 1.2.3 or 1.2.3-preview.1.");
        }

        var releaseId = reader.String("release", required: false) ?? Slug($"{product}-{version}");
        if (!SafeId().IsMatch(releaseId))
        {
            reader.Error("release", $"'{releaseId}' must contain only letters, digits, '.', '-' and '_' (it names a folder).");
        }
        else if (releaseId.All(c => c == '.'))
        {
            reader.Error("release", $"'{releaseId}' names the store's own folder or its parent, not a folder of its own; use a name with a letter or digit, e.g. \"{Slug($"{product}-{version}")}\".");
        }

        var versionRules = ReadVersionRules(reader.Object("versionRules", required: false));
        var bar = ReadBar(reader.Object("bar", required: false));
        var store = ReadStore(reader.Object("store", required: false));
        var dropPath = reader.String("drop", required: false);
        CheckPaths(reader, sourcePath, bar, store, dropPath);
        var identity = ReadIdentity(reader.Object("identity", required: false), sourcePath);
        var groups = ReadGroups(reader.Object("groups", required: false));
        var releaseDate = ReadReleaseDate(reader);
        var cves = ReadCves(reader);
        var downloadBaseUrl = ReadHttpsUrl(reader, "downloadBaseUrl")?.TrimEnd('/');
        var rings = ReadRings(reader.Object("rings", required: true), groups);
        reader.RejectUnknownKeys();

        if (product is null || version is null || rings is null)
        {
            return null;
        }

        return new ReleaseDefinition
        {
            SourcePath = sourcePath,
            ReleaseId = releaseId,
            Product = product,
            Version = version,
            VersionRules = versionRules,
            Bar = bar,
            Store = store,
            Identity = identity,
            DropPath = dropPath,
            Groups = groups,
            ReleaseDate = releaseDate,
            Cves = cves,
            DownloadBaseUrl = downloadBaseUrl,
            Rings = rings,
        };
    }

    private static DateOnly? ReadReleaseDate(JsonObjectReader reader)
    {
        var text = reader.String("releaseDate", required: false);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            reader.Error("releaseDate", $"'{text}' is not a date like 2026-12-08 (yyyy-MM-dd).");
            return null;
        }

        return date;
    }

    private static IReadOnlyList<CveReference> ReadCves(JsonObjectReader reader)
    {
        var cves = new List<CveReference>();
        foreach (var (element, path) in reader.Array("cves"))
        {
            var cve = reader.Nested(element, path);
            if (!cve.IsObject)
            {
                continue;
            }

            var id = cve.String("id", required: true, "the CVE id, e.g. \"CVE-2026-12345\"");
            if (id is not null && !CveId().IsMatch(id))
            {
                cve.Error("id", $"'{id}' is not a CVE id like CVE-2026-12345.");
            }

            var url = ReadHttpsUrl(cve, "url", required: true);
            cve.RejectUnknownKeys();
            if (id is not null && url is not null)
            {
                if (cves.Any(c => c.Id == id))
                {
                    cve.Error("id", $"'{id}' is listed twice; name each CVE once.");
                    continue;
                }

                cves.Add(new CveReference(id, url));
            }
        }

        return cves;
    }

    private static string? ReadHttpsUrl(JsonObjectReader reader, string name, bool required = false)
    {
        var text = reader.String(name, required, "an absolute https URL");
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            reader.Error(name, $"'{text}' is not an absolute https URL without query or fragment, e.g. \"https://downloads.example.com/product/1.0.0\".");
            return null;
        }

        return text;
    }

    private static VersionRules ReadVersionRules(JsonObjectReader? reader)
    {
        if (reader is null)
        {
            return new VersionRules(Stable: false, ShippingVersionPattern: null);
        }

        var stable = reader.Bool("stable", defaultValue: false);
        var pattern = reader.String("shippingVersionPattern", required: false);
        if (pattern is not null)
        {
            try
            {
                _ = new Regex(pattern.Replace("{major}", "0", StringComparison.Ordinal)
                    .Replace("{minor}", "0", StringComparison.Ordinal)
                    .Replace("{patch}", "0", StringComparison.Ordinal)
                    .Replace("{version}", "0", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                reader.Error("shippingVersionPattern", $"not a valid regular expression: {ex.Message}");
            }
        }

        reader.RejectUnknownKeys();
        return new VersionRules(stable, pattern);
    }

    private static BarSettings ReadBar(JsonObjectReader? reader)
    {
        if (reader is null)
        {
            return new BarSettings(BarSettings.LocalKind, Path: ".release/bar.db", Uri: null, TokenVariable: null, TokenScope: null);
        }

        var kind = reader.String("kind", required: true, "\"local\" or \"maestro\"") ?? BarSettings.LocalKind;
        var path = reader.String("path", required: false);
        var uri = reader.String("uri", required: false);
        var tokenVariable = reader.String("tokenVariable", required: false);
        var tokenScope = reader.String("tokenScope", required: false);
        var httpReader = reader.Object("http", required: false);
        var http = ReadBarHttp(httpReader);
        if (tokenVariable is not null && !EnvironmentVariableName().IsMatch(tokenVariable))
        {
            // Never echo the value: a token pasted here by mistake must not end up in a log or a CI transcript.
            reader.Error("tokenVariable", "must be the name of an environment variable (letters, digits and '_'), e.g. \"MAESTRO_TOKEN\" — never the token itself. Remove the value from the file if it was a token, and revoke it.");
        }

        switch (kind)
        {
            case BarSettings.LocalKind:
                path ??= ".release/bar.db";
                if (httpReader is not null)
                {
                    reader.Error("http", "applies only to a \"maestro\" BAR; the local BAR makes no HTTP calls.");
                }

                break;
            case BarSettings.MaestroKind:
                if (uri is null)
                {
                    reader.Error("uri", "is required when kind is \"maestro\", e.g. \"https://maestro.example.com\".");
                }
                else if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != "https" && parsed.Scheme != "http"))
                {
                    reader.Error("uri", $"'{uri}' is not an absolute http(s) URI.");
                }
                else if (Transport.Problem(parsed) is { } problem)
                {
                    // The token would travel in clear, and BAR's answers decide what ships.
                    reader.Error("uri", $"'{uri}' {problem}.");
                }

                break;
            default:
                reader.Error("kind", $"unknown BAR kind '{kind}'; use \"local\" or \"maestro\".");
                break;
        }

        reader.RejectUnknownKeys();
        return new BarSettings(kind, path, uri, tokenVariable, tokenScope) { Http = http };
    }

    private static BarHttpSettings ReadBarHttp(JsonObjectReader? reader)
    {
        var defaults = BarHttpSettings.Default;
        if (reader is null || !reader.IsObject)
        {
            return defaults;
        }

        var attempt = reader.Number("attemptTimeoutSeconds") ?? defaults.AttemptTimeout.TotalSeconds;
        var total = reader.Number("totalTimeoutSeconds") ?? defaults.TotalTimeout.TotalSeconds;
        var retries = reader.Int("maxRetries", defaults.MaxRetries);
        var delay = reader.Number("retryDelaySeconds") ?? defaults.RetryDelay.TotalSeconds;
        if (attempt is < 0.01 or > 3600)
        {
            reader.Error("attemptTimeoutSeconds", $"{attempt} is out of range; use 0.01 to 3600 seconds.");
        }

        if (total <= attempt || total > 86400)
        {
            reader.Error("totalTimeoutSeconds", $"{total} must be more than attemptTimeoutSeconds ({attempt}) and at most 86400 seconds.");
        }

        if (retries is < 1 or > 20)
        {
            reader.Error("maxRetries", $"{retries} is out of range; use 1 to 20.");
        }

        if (delay is < 0 or > 600)
        {
            reader.Error("retryDelaySeconds", $"{delay} is out of range; use 0 to 600 seconds.");
        }

        reader.RejectUnknownKeys();
        return new BarHttpSettings(
            TimeSpan.FromSeconds(Math.Clamp(attempt, 0.01, 3600)),
            TimeSpan.FromSeconds(Math.Clamp(total, 0.02, 86400)),
            Math.Clamp(retries, 1, 20),
            TimeSpan.FromSeconds(Math.Clamp(delay, 0, 600)));
    }

    private static StoreSettings ReadStore(JsonObjectReader? reader)
    {
        if (reader is null)
        {
            return new StoreSettings(StoreSettings.LocalKind, ".release");
        }

        var kind = reader.String("kind", required: false) ?? StoreSettings.LocalKind;
        var path = reader.String("path", required: false) ?? ".release";
        string? container = null;
        string? sasVariable = null;
        string? connectionStringVariable = null;
        if (kind == StoreSettings.AzureBlobKind)
        {
            container = reader.String("container", required: true, "the container's URL, e.g. \"https://contoso.blob.core.windows.net/releases\"");
            if (container is not null && StoreLocation.Problem(container) is { } problem)
            {
                reader.Error("container", problem);
            }

            sasVariable = reader.String("sasVariable", required: false);
            connectionStringVariable = reader.String("connectionStringVariable", required: false);
            if (sasVariable is not null && connectionStringVariable is not null)
            {
                reader.Error("sasVariable", "name either sasVariable or connectionStringVariable, not both.");
            }

            foreach (var (key, name) in new[] { ("sasVariable", sasVariable), ("connectionStringVariable", connectionStringVariable) })
            {
                if (name is not null && !EnvironmentVariableName().IsMatch(name))
                {
                    reader.Error(key, $"'{name}' is not an environment variable's name (letters, digits and '_', not starting with a digit); the secret itself never goes in the definition.");
                }
            }
        }
        else if (kind != StoreSettings.LocalKind)
        {
            reader.Error("kind", $"unknown store kind '{kind}'; use \"local\" (a folder) or \"azure-blob\" (a blob container).");
        }

        reader.RejectUnknownKeys();
        return new StoreSettings(kind, path) { Container = container, SasVariable = sasVariable, ConnectionStringVariable = connectionStringVariable };
    }

    private static IdentitySettings ReadIdentity(JsonObjectReader? reader, string sourcePath)
    {
        if (reader is null)
        {
            return IdentitySettings.Unverified;
        }

        var allowedSigners = reader.String("allowedSigners", required: false);
        var requireText = reader.String("require", required: false);
        reader.RejectUnknownKeys();
        var require = requireText switch
        {
            null => allowedSigners is null ? SignatureRequirement.None : SignatureRequirement.Signed,
            "signed" => SignatureRequirement.Signed,
            "none" => SignatureRequirement.None,
            _ => (SignatureRequirement?)null,
        };
        if (require is null)
        {
            reader.Error("require", $"'{requireText}' is not \"signed\" or \"none\".");
            return IdentitySettings.Unverified;
        }

        if (allowedSigners is null)
        {
            if (require == SignatureRequirement.Signed)
            {
                reader.Error("allowedSigners", "is required when require is \"signed\": name the OpenSSH allowed_signers file that lists each person's key, e.g. \"allowed_signers\" (one line each: `ada@example.com ssh-ed25519 AAAA…`).");
            }

            return new IdentitySettings(null, require.Value);
        }

        var path = Path.GetFullPath(allowedSigners, Path.GetDirectoryName(sourcePath) ?? Directory.GetCurrentDirectory());
        if (!File.Exists(path))
        {
            reader.Error("allowedSigners", $"'{allowedSigners}' ({path}) does not exist. Create it with one line per person who signs: `<email> <key type> <base64 public key>` (the public key is the content of their id_ed25519.pub).");
        }

        return new IdentitySettings(allowedSigners, require.Value);
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadGroups(JsonObjectReader? reader)
    {
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (reader is null)
        {
            return groups;
        }

        foreach (var property in reader.Properties())
        {
            var members = reader.Strings(property.Name);
            if (members.Count == 0)
            {
                reader.Error(property.Name, "a group needs at least one member.");
            }

            groups[property.Name] = members;
        }

        CheckNestedGroups(reader, groups);
        return groups;
    }

    /// <summary>A group may include another (<c>group:name</c>), which must be defined and must not lead back to it.</summary>
    private static void CheckNestedGroups(JsonObjectReader reader, Dictionary<string, IReadOnlyList<string>> groups)
    {
        foreach (var (name, members) in groups)
        {
            for (var i = 0; i < members.Count; i++)
            {
                if (!members[i].StartsWith(ReleaseDefinition.GroupPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var inner = members[i][ReleaseDefinition.GroupPrefix.Length..];
                if (!groups.ContainsKey(inner))
                {
                    reader.Error($"{name}[{i}]", $"group '{inner}' is not defined in $.groups. Defined groups: {string.Join(", ", groups.Keys)}.");
                }
                else if (PathBetween(groups, inner, name, new HashSet<string>(StringComparer.Ordinal)) is { } cycle)
                {
                    reader.Error($"{name}[{i}]", $"group '{name}' would include itself ({string.Join(" -> ", [name, .. cycle])}); a group may include other groups, but no chain of them may lead back to it.");
                }
            }
        }
    }

    /// <summary>The groups from <paramref name="from"/> to <paramref name="to"/> through nested members, or null when none leads there.</summary>
    private static List<string>? PathBetween(Dictionary<string, IReadOnlyList<string>> groups, string from, string to, HashSet<string> visited)
    {
        if (from == to)
        {
            return [from];
        }

        if (!visited.Add(from))
        {
            return null;
        }

        foreach (var member in groups[from].Where(m => m.StartsWith(ReleaseDefinition.GroupPrefix, StringComparison.Ordinal)))
        {
            var inner = member[ReleaseDefinition.GroupPrefix.Length..];
            if (groups.ContainsKey(inner) && PathBetween(groups, inner, to, visited) is { } rest)
            {
                return [from, .. rest];
            }
        }

        return null;
    }

    private Dictionary<string, RingDefinition>? ReadRings(JsonObjectReader? reader, Dictionary<string, IReadOnlyList<string>> groups)
    {
        if (reader is null)
        {
            return null;
        }

        var rings = new Dictionary<string, RingDefinition>(StringComparer.Ordinal);
        foreach (var name in RingName.All)
        {
            var ringReader = reader.Object(name, required: true);
            if (ringReader is not null && ringReader.IsObject)
            {
                rings[name] = ReadRing(name, ringReader, groups);
            }
        }

        reader.RejectUnknownKeys();
        return rings;
    }

    private RingDefinition ReadRing(string name, JsonObjectReader reader, Dictionary<string, IReadOnlyList<string>> groups)
    {
        var source = reader.String("sourceChannel", required: true, "the BAR channel a build must be in to enter this ring") ?? string.Empty;
        var target = reader.String("targetChannel", required: name != RingName.Publish, "the BAR channel the build is promoted to");
        var overriders = ReadPrincipals(reader, "overriders", groups);
        var allowSelfOverride = reader.Bool("allowSelfOverride", defaultValue: false);
        var steps = new List<StepDefinition>();
        foreach (var (element, path) in reader.Array("steps"))
        {
            var step = ReadStep(reader.Nested(element, path), name);
            if (step is not null)
            {
                steps.Add(step);
            }
        }

        CheckStepGraph(reader, steps);

        var gates = new List<GateDefinition>();
        foreach (var (element, path) in reader.Array("gates"))
        {
            var gate = ReadGate(reader.Nested(element, path), groups, new GateScope(name, steps.Count, principals => CountPeople(principals, groups)));
            if (gate is not null)
            {
                gates.Add(gate);
            }
        }

        foreach (var duplicate in gates.GroupBy(g => g.Id).Where(g => g.Count() > 1))
        {
            reader.Error("gates", $"gate id '{duplicate.Key}' is used {duplicate.Count()} times; ids must be unique in a ring.");
        }

        if (gates.Count == 0)
        {
            reader.Error("gates", "a ring needs at least one promotion gate; nothing would decide whether the build is promoted.");
        }

        reader.RejectUnknownKeys();
        return new RingDefinition
        {
            Name = name,
            SourceChannel = source,
            TargetChannel = target,
            Overriders = overriders,
            AllowSelfOverride = allowSelfOverride,
            Steps = steps,
            Gates = gates,
        };
    }

    private StepDefinition? ReadStep(JsonObjectReader reader, string ring)
    {
        if (!reader.IsObject)
        {
            return null;
        }

        var kind = reader.String("kind", required: true, $"one of: {string.Join(", ", steps.Kinds.Order(StringComparer.Ordinal))}");
        var id = reader.String("id", required: false) ?? kind;
        var dependsOn = reader.Strings("dependsOn");
        var wait = ReadWait(reader.Object("wait", required: false));
        if (id is not null && !SafeId().IsMatch(id))
        {
            reader.Error("id", $"'{id}' must contain only letters, digits, '.', '-' and '_'.");
        }

        var settings = reader.Get("settings") ?? default;
        if (settings.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            reader.Error("settings", $"expected an object, found {JsonObjectReader.Describe(settings)}.");
        }

        if (kind is not null)
        {
            if (!steps.Kinds.Contains(kind))
            {
                var closest = steps.Kinds.OrderBy(k => JsonObjectReader.EditDistance(k, kind)).FirstOrDefault();
                reader.Error("kind", $"unknown step '{kind}'.{(closest is not null && JsonObjectReader.EditDistance(closest, kind) <= 3 ? $" Did you mean '{closest}'?" : string.Empty)} Steps available: {string.Join(", ", steps.Kinds.Order(StringComparer.Ordinal))}.");
            }
            else if (steps.RingsOf(kind) is { } allowed && !allowed.Contains(ring))
            {
                reader.Error("kind", $"a '{kind}' step cannot be used in {ring}; it belongs in {string.Join(", ", allowed)}.");
            }
            else if (ChecksStepSettings && settings.ValueKind is JsonValueKind.Object or JsonValueKind.Undefined)
            {
                ReportSettings(reader.Error, kind, settings);
            }
        }

        reader.RejectUnknownKeys();
        return id is null || kind is null ? null : new StepDefinition(id, kind, dependsOn, settings.ValueKind == JsonValueKind.Object ? settings.Clone() : default) { Wait = wait };
    }

    /// <summary>Each mistake in a step's settings, as (key relative to the step, message).</summary>
    private void ReportSettings(Action<string, string> error, string kind, JsonElement settings)
    {
        foreach (var (key, message) in steps.ValidateSettings(kind, settings))
        {
            error(key.Length == 0 ? "settings" : $"settings.{key}", message);
        }
    }

    private static void CheckStepGraph(JsonObjectReader reader, List<StepDefinition> steps)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            if (!ids.Add(steps[i].Id))
            {
                reader.Error($"steps[{i}].id", $"step id '{steps[i].Id}' is used twice; give each step a unique id.");
            }
        }

        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var dependency in steps[i].DependsOn)
            {
                if (!ids.Contains(dependency))
                {
                    reader.Error($"steps[{i}].dependsOn", $"'{dependency}' is not a step of this ring. Steps here: {string.Join(", ", ids)}.");
                }
            }
        }

        var cycle = StepGraph.FindCycle(steps);
        if (cycle is not null)
        {
            reader.Error("steps", $"the steps depend on each other in a cycle: {string.Join(" -> ", cycle)}.");
        }
    }

    private GateDefinition? ReadGate(JsonObjectReader reader, Dictionary<string, IReadOnlyList<string>> groups, GateScope scope)
    {
        if (!reader.IsObject)
        {
            return null;
        }

        var kinds = gateKinds.Kinds.Order(StringComparer.Ordinal).ToList();
        var kind = reader.String("kind", required: true, $"one of: {string.Join(", ", kinds)}");
        var id = reader.String("id", required: false) ?? kind;
        if (id is not null && !SafeId().IsMatch(id))
        {
            reader.Error("id", $"'{id}' must contain only letters, digits, '.', '-' and '_'.");
        }

        var approvers = ReadPrincipals(reader, "approvers", groups);
        var minApprovals = reader.Int("minApprovals", 1);
        var allowSelf = reader.Bool("allowSelfApproval", defaultValue: false);
        var overriders = ReadPrincipals(reader, "overriders", groups);
        var teams = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var teamsReader = reader.Object("teams", required: false);
        if (teamsReader is not null)
        {
            foreach (var property in teamsReader.Properties())
            {
                var members = ReadPrincipals(teamsReader, property.Name, groups);
                if (members.Count == 0)
                {
                    teamsReader.Error(property.Name, "a team needs at least one member who can sign off.");
                }

                teams[property.Name] = members;
            }
        }

        reader.RejectUnknownKeys();
        if (id is null || kind is null)
        {
            return null;
        }

        if (!gateKinds.Kinds.Contains(kind))
        {
            var closest = kinds.OrderBy(k => JsonObjectReader.EditDistance(k, kind)).FirstOrDefault();
            reader.Error("kind", $"unknown gate '{kind}'.{(closest is not null && JsonObjectReader.EditDistance(closest, kind) <= 3 ? $" Did you mean '{closest}'?" : string.Empty)} Gates available: {string.Join(", ", kinds)}.");
            return null;
        }

        if (gateKinds.RingsOf(kind) is { } allowed && !allowed.Contains(scope.Ring))
        {
            reader.Error("kind", $"a '{kind}' gate cannot be used in {scope.Ring}; it belongs in {string.Join(", ", allowed)}.");
        }

        var gate = new GateDefinition
        {
            Id = id,
            Kind = kind,
            DecidedByPeople = gateKinds.IsDecidedByPeople(kind),
            Approvers = approvers,
            MinApprovals = minApprovals,
            AllowSelfApproval = allowSelf,
            Teams = teams,
            Overriders = overriders,
        };
        foreach (var (key, message) in gateKinds.Validate(gate, scope))
        {
            reader.Error(key, message);
        }

        return gate;
    }

    /// <summary>How many distinct people a list of people and <c>group:</c> references names.</summary>
    private static int CountPeople(IEnumerable<string> principals, Dictionary<string, IReadOnlyList<string>> groups) =>
        ReleaseDefinition.ExpandPrincipals(groups, principals).Count;

    private static StepWait ReadWait(JsonObjectReader? reader)
    {
        if (reader is null || !reader.IsObject)
        {
            return StepWait.Default;
        }

        var poll = reader.Number("pollSeconds") ?? StepWait.Default.PollInterval.TotalSeconds;
        var maxPoll = reader.Number("maxPollSeconds") ?? Math.Max(poll, StepWait.Default.MaxPollInterval.TotalSeconds);
        var timeout = reader.Number("timeoutMinutes") ?? StepWait.Default.Timeout.TotalMinutes;
        if (poll is < 0.05 or > 3600)
        {
            reader.Error("pollSeconds", $"{poll} is out of range; use 0.05 to 3600 seconds.");
        }

        if (maxPoll < poll || maxPoll > 3600)
        {
            reader.Error("maxPollSeconds", $"{maxPoll} must be at least pollSeconds ({poll}) and at most 3600.");
        }

        if (timeout is < 0 or > 10080)
        {
            reader.Error("timeoutMinutes", $"{timeout} is out of range; use 0 (do not wait) to 10080 minutes (a week).");
        }

        reader.RejectUnknownKeys();
        return new StepWait(
            TimeSpan.FromSeconds(Math.Clamp(poll, 0.05, 3600)),
            TimeSpan.FromSeconds(Math.Clamp(maxPoll, 0.05, 3600)),
            TimeSpan.FromMinutes(Math.Clamp(timeout, 0, 10080)));
    }

    private static List<string> ReadPrincipals(JsonObjectReader reader, string name, Dictionary<string, IReadOnlyList<string>> groups)
    {
        var principals = reader.Strings(name).ToList();
        for (var i = 0; i < principals.Count; i++)
        {
            var principal = principals[i];
            if (principal.StartsWith(ReleaseDefinition.GroupPrefix, StringComparison.Ordinal))
            {
                var group = principal[ReleaseDefinition.GroupPrefix.Length..];
                if (!groups.ContainsKey(group))
                {
                    reader.Error($"{name}[{i}]", $"group '{group}' is not defined in $.groups. Defined groups: {(groups.Count == 0 ? "none" : string.Join(", ", groups.Keys))}.");
                }
            }
        }

        return principals;
    }

    /// <summary>
    /// The folders the definition names must not overlap where a write or a clean-up would hit another's files: prep
    /// keeps the drop to exactly the candidate, so a drop that holds the definition, the store or the BAR would lose them.
    /// </summary>
    private static void CheckPaths(JsonObjectReader reader, string sourcePath, BarSettings bar, StoreSettings store, string? dropPath)
    {
        var baseDirectory = Path.GetDirectoryName(sourcePath) ?? Directory.GetCurrentDirectory();
        var storePath = Path.GetFullPath(store.Path, baseDirectory);
        if (File.Exists(storePath))
        {
            reader.Error("store.path", $"{storePath} is a file; the store is a folder (created when missing).");
        }

        var barPath = bar.Kind == BarSettings.LocalKind && bar.Path is not null ? Path.GetFullPath(bar.Path, baseDirectory) : null;
        if (barPath is not null && Directory.Exists(barPath))
        {
            reader.Error("bar.path", $"{barPath} is a folder; the local BAR is a SQLite file, e.g. \".release/bar.db\".");
        }

        if (dropPath is null)
        {
            return;
        }

        var drop = Path.GetFullPath(dropPath, baseDirectory);
        var clash = IsSameOrInside(sourcePath, drop) ? $"holds the release definition {sourcePath}"
            : IsSameOrInside(storePath, drop) ? $"holds the store {storePath} (the ledger and the contract)"
            : IsSameOrInside(drop, storePath) ? $"is inside the store {storePath}"
            : barPath is not null && IsSameOrInside(barPath, drop) ? $"holds the BAR database {barPath}"
            : null;
        if (clash is not null)
        {
            reader.Error("drop", $"'{dropPath}' ({drop}) {clash}; prep keeps the drop to exactly the candidate's files. Name a folder of its own, e.g. \"drop\", or leave $.drop out to gather into the release's folder in the store.");
        }
    }

    private static bool IsSameOrInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var trimmed = folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return string.Equals(path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), trimmed, comparison)
            || path.StartsWith(trimmed + Path.DirectorySeparatorChar, comparison);
    }

    private static string Slug(string text) => SlugInvalid().Replace(text.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();

    [GeneratedRegex(@"^CVE-\d{4}-\d{4,}$")]
    private static partial Regex CveId();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeId();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariableName();

    [GeneratedRegex(@"[^a-z0-9._-]+")]
    private static partial Regex SlugInvalid();
}
