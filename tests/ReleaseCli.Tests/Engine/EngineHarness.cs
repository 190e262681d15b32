using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReleaseCli.Core.Bar;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core.Identity;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Store;
using ReleaseCli.Integrations.Bar;
using ReleaseCli.Integrations.Sources;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Engine;

/// <summary>
/// The real engine on real local parts: a SQLite BAR with one build whose assets are files in a
/// folder, a local folder store, the real step catalogue plus scriptable test steps.
/// </summary>
public sealed class EngineHarness : IDisposable
{
    public static readonly string[] Channels = ["Builds", "SV", "CV", "RS", "PR", "Done"];

    private EngineHarness(TestDirectory directory, SqliteBuildAssetRegistry bar, ReleaseDefinition definition, ScriptedSteps script, StepCatalog catalog, GateCatalog gates)
    {
        Directory = directory;
        Bar = bar;
        Definition = definition;
        Script = script;
        Store = new LocalFolderReleaseStore(directory.Combine(".release"));
        Environment = new ReleaseEnvironment(definition, bar, Store);
        Runner = new RingRunner(catalog, gates, Identity, Time, NullLogger<RingRunner>.Instance);
        _loader = new ReleaseDefinitionLoader(catalog, gates);
        Decisions = new ReleaseDecisions(Identity, Time);
    }

    private readonly ReleaseDefinitionLoader _loader;

    /// <summary>The loader of this harness's step and gate catalogues.</summary>
    public ReleaseDefinitionLoader Loader => _loader;

    public TestDirectory Directory { get; }

    public SqliteBuildAssetRegistry Bar { get; }

    public ReleaseDefinition Definition { get; private set; }

    public ScriptedSteps Script { get; }

    public LocalFolderReleaseStore Store { get; }

    public ReleaseEnvironment Environment { get; private set; }

    /// <summary>Rewrites release.json, as a person editing the definition between runs does, and loads it again.</summary>
    public async Task RedefineAsync(string definitionJson)
    {
        var path = Directory.Combine("release.json");
        await File.WriteAllTextAsync(path, definitionJson);
        Definition = _loader.Load(path);
        Environment = Environment with { Definition = Definition };
    }

    public SwitchableIdentity Identity { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public RingRunner Runner { get; }

    public ReleaseDecisions Decisions { get; }

    public int BuildId { get; private set; }

    public string ContainerPath => Directory.Combine("container");

    /// <summary>A definition: prep gathers the drop and runs the given extra steps; approvals by the "team" group.</summary>
    public static string DefinitionJson(string extraPrepSteps = "", string prepGates = """{ "id": "steps", "kind": "steps-succeeded" }, { "id": "contract", "kind": "contract-valid" }, { "id": "versions", "kind": "version-coherent" }""") => $$"""
        {
          "release": "r1", "product": "P", "version": "1.0.0",
          "versionRules": { "stable": true },
          "groups": { "team": ["bob@x.com", "carol@x.com"], "managers": ["alice@x.com", "dave@x.com"] },
          "rings": {
            "prep": { "sourceChannel": "Builds", "targetChannel": "SV", "overriders": ["group:managers"],
                      "steps": [{ "kind": "gather-drop" } {{extraPrepSteps}}],
                      "gates": [ {{prepGates}} ] },
            "validate-source": { "sourceChannel": "SV", "targetChannel": "CV", "overriders": ["group:managers"], "gates": [{ "kind": "contract-valid" }] },
            "validate-build": { "sourceChannel": "CV", "targetChannel": "RS", "gates": [{ "kind": "contract-valid" }] },
            "stage": { "sourceChannel": "RS", "targetChannel": "PR", "gates": [{ "kind": "contract-valid" }] },
            "publish": { "sourceChannel": "PR", "targetChannel": "Done", "gates": [{ "kind": "contract-valid" }] }
          }
        }
        """;

    /// <summary>
    /// A release on the given definition; <paramref name="extraSteps"/> and <paramref name="extraGates"/> join the
    /// catalogues as a new step or gate kind would (docs/extending.md).
    /// </summary>
    public static async Task<EngineHarness> CreateAsync(
        string? definitionJson = null,
        IReadOnlyList<(string Name, string Version)>? packages = null,
        IEnumerable<IRingStep>? extraSteps = null,
        IEnumerable<IGateCheck>? extraGates = null)
    {
        var directory = new TestDirectory();
        var script = new ScriptedSteps();
        var time = TimeProvider.System;
        var bar = new SqliteBuildAssetRegistry(directory.Combine("bar.db"), time);
        var catalog = new StepCatalog([new GatherDropStep([new LocalFolderAssetSource()]), new ScriptedStep(script), .. extraSteps ?? []]);
        var gates = new GateCatalog([.. BuiltInGates.All, .. extraGates ?? []]);
        await File.WriteAllTextAsync(directory.Combine("release.json"), definitionJson ?? DefinitionJson());
        var definition = new ReleaseDefinitionLoader(catalog, gates).Load(directory.Combine("release.json"));
        var harness = new EngineHarness(directory, bar, definition, script, catalog, gates);
        foreach (var channel in Channels)
        {
            await bar.AddChannelAsync(channel, "test", CancellationToken.None);
        }

        System.IO.Directory.CreateDirectory(harness.ContainerPath);
        var assets = new List<AssetJson>();
        for (var i = 0; i < 3; i++)
        {
            var name = $"assets/files/file{i}.txt";
            var path = Path.Combine(harness.ContainerPath, "assets", "files", $"file{i}.txt");
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, $"content {i}");
            assets.Add(new AssetJson { Name = name, Version = "1.0.0", Locations = [new LocationJson { Location = harness.ContainerPath, Type = AssetLocationType.Container }] });
        }

        foreach (var (name, version) in packages ?? [])
        {
            var feed = directory.Combine("feed");
            System.IO.Directory.CreateDirectory(feed);
            await File.WriteAllTextAsync(Path.Combine(feed, $"{name}.{version}.nupkg"), $"{name} {version}");
            assets.Add(new AssetJson { Name = name, Version = version, Locations = [new LocationJson { Location = feed, Type = AssetLocationType.NugetFeed }] });
        }

        var build = await bar.AddBuildAsync(new BuildDataJson { Commit = "abc123", GitHubRepository = "https://github.com/contoso/p", Assets = assets }, CancellationToken.None);
        harness.BuildId = build.Id;
        await bar.AssignBuildToChannelAsync(build.Id, 1, CancellationToken.None);
        return harness;
    }

    public Task<RingRunOutcome> RunAsync(string ring, string actor = "alice@x.com", int? build = null, bool forceEntry = false, string? justification = null, bool noWait = false)
    {
        Identity.Current = actor;
        return Runner.RunAsync(Environment, new RingRunRequest(ring, build ?? (ring == RingName.Prep ? BuildId : null), forceEntry, justification, NoWait: noWait), CancellationToken.None);
    }

    public async Task<ReleaseState> StateAsync() => new((await LedgerWriter.ReadVerifiedAsync(Store, "r1", CancellationToken.None)).Events);

    public string DropPath => Environment.DropPath;

    public void Dispose() => Directory.Dispose();
}

/// <summary>An identity provider the test switches between people.</summary>
public sealed class SwitchableIdentity : IIdentityProvider
{
    public string Current { get; set; } = "alice@x.com";

    public Task<Actor> GetCurrentActorAsync(CancellationToken cancellationToken) => Task.FromResult(new Actor(Current, "test"));
}

/// <summary>What scripted steps do, per step id: fail or not, wait on a signal, and how often they ran.</summary>
public sealed class ScriptedSteps
{
    private readonly Dictionary<string, int> _runs = [];

    public HashSet<string> Failing { get; } = [];

    /// <summary>Steps that throw what the function makes instead of finishing.</summary>
    public Dictionary<string, Func<Exception>> Throwing { get; } = [];

    public Dictionary<string, TaskCompletionSource> Gates { get; } = [];

    public List<string> Started { get; } = [];

    public int Runs(string step)
    {
        lock (_runs)
        {
            return _runs.GetValueOrDefault(step);
        }
    }

    public void Ran(string step)
    {
        lock (_runs)
        {
            _runs[step] = _runs.GetValueOrDefault(step) + 1;
            Started.Add(step);
        }
    }
}

/// <summary>A catalogue step ("scripted") whose behaviour the test controls.</summary>
public sealed class ScriptedStep(ScriptedSteps script) : IRingStep
{
    public string Kind => "scripted";

    public string Summary => "does what the test script says";

    public IReadOnlyCollection<string>? Rings => null;

    public IReadOnlyCollection<string> SettingNames => [];

    public IEnumerable<(string Key, string Message)> ValidateSettings(JsonElement settings) => [];

    public Task<string> ComputeInputDigestAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfText($"{context.Step.Id}|{context.Contract?.Digest}"));

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        script.Ran(context.Step.Id);
        if (script.Gates.TryGetValue(context.Step.Id, out var gate))
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        }

        if (script.Throwing.TryGetValue(context.Step.Id, out var exception))
        {
            throw exception();
        }

        return script.Failing.Contains(context.Step.Id) ? StepOutcome.Failed($"{context.Step.Id} failed on purpose") : StepOutcome.Succeeded($"{context.Step.Id} done");
    }
}
