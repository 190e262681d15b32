using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests.Maestro;

/// <summary>
/// A release folder whose definition points at a <see cref="FakeMaestro"/>: the sample's channels,
/// one build (4242) whose assets live in a local folder, and the token in an environment variable.
/// </summary>
public sealed class MaestroRelease : IDisposable
{
    public const int BuildId = 4242;
    public const string TokenVariable = "RELEASE_MAESTRO_TOKEN";
    public const string Actor = "alice@contoso.com";

    public static readonly string[] ChannelNames = ["Contoso Sample Builds", "Source Validation", "Candidate Validation", "Release Staging", "Publish Release", "Contoso Sample Released"];

    public MaestroRelease(FakeMaestro maestro)
    {
        Maestro = maestro;
        Directory = Path.Combine(Path.GetTempPath(), "release-maestro-" + Guid.NewGuid().ToString("N")[..10]);
        AssetFolder = Path.Combine(Directory, "blobs");
        System.IO.Directory.CreateDirectory(AssetFolder);
        File.WriteAllText(Path.Combine(AssetFolder, "contoso-sample-1.0.0.tar.gz"), "the product's bits " + Guid.NewGuid());
        File.WriteAllText(Path.Combine(AssetFolder, "contoso-sample-1.0.0.tar.gz.sha512"), "checksum");
        File.WriteAllText(Path.Combine(Directory, "release.json"), Definition(maestro.Url));
    }

    public FakeMaestro Maestro { get; }

    public string Directory { get; }

    public string AssetFolder { get; }

    public string LedgerPath => Path.Combine(Directory, ".release", "contoso-sample-1.0.0", "ledger.jsonl");

    public object[] Channels => [.. ChannelNames.Select((name, i) => FakeMaestro.Channel(i + 1, name))];

    /// <summary>Maestro knows the channels and build 4242 (in the prep ring's source channel) and accepts promotions.</summary>
    public void ServeHealthyMaestro()
    {
        Maestro.ServeChannels(Channels);
        Maestro.ServeBuild(BuildId, FakeMaestro.Build(BuildId, AssetFolder, Channels[0]));
        Maestro.AcceptPromotions();
    }

    public Task<ExeResult> RunAsync(params string[] args) =>
        ReleaseExe.RunAsync(Directory, Actor, args, new Dictionary<string, string> { [TokenVariable] = Maestro.Token }, TimeSpan.FromMinutes(2));

    public IReadOnlyList<JsonObject> LedgerEvents() => File.Exists(LedgerPath)
        ? [.. File.ReadAllLines(LedgerPath).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject())]
        : [];

    private static string Definition(string maestroUrl)
    {
        static object Ring(string source, string? target, bool prep) => new Dictionary<string, object?>
        {
            ["sourceChannel"] = source,
            ["targetChannel"] = target,
            ["overriders"] = new[] { "group:release-managers" },
            // The fake Maestro's builds keep their assets in a folder on this machine, which a Maestro build may name only when the definition allows it.
            ["steps"] = prep ? new object[] { new { id = "gather-drop", kind = "gather-drop", settings = new { allowLocalFolders = true } } } : null,
            ["gates"] = prep
                ? new object[] { new { id = "steps", kind = "steps-succeeded" }, new { id = "contract", kind = "contract-valid" } }
                : [new { id = "contract", kind = "contract-valid" }],
        }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

        var definition = new
        {
            release = "contoso-sample-1.0.0",
            product = "Contoso Sample",
            version = "1.0.0",
            bar = new
            {
                kind = "maestro",
                uri = maestroUrl,
                tokenVariable = TokenVariable,
                http = new { attemptTimeoutSeconds = 10, totalTimeoutSeconds = 60, maxRetries = 3, retryDelaySeconds = 0.05 },
            },
            store = new { kind = "local", path = ".release" },
            groups = new Dictionary<string, string[]> { ["release-managers"] = [Actor] },
            rings = new Dictionary<string, object>
            {
                ["prep"] = Ring(ChannelNames[0], ChannelNames[1], prep: true),
                ["validate-source"] = Ring(ChannelNames[1], ChannelNames[2], prep: false),
                ["validate-build"] = Ring(ChannelNames[2], ChannelNames[3], prep: false),
                ["stage"] = Ring(ChannelNames[3], ChannelNames[4], prep: false),
                ["publish"] = Ring(ChannelNames[4], ChannelNames[5], prep: false),
            },
        };
        return JsonSerializer.Serialize(definition, new JsonSerializerOptions { WriteIndented = true });
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
