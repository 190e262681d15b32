namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// A release folder for one test: the sample's release.json, a fresh local BAR with the sample's
/// channels and its two builds registered, driven through the real executable.
/// </summary>
public sealed class SampleRelease : IDisposable
{
    public const string Manager = "alice@contoso.com";

    /// <summary>The other release manager: overrides what a run of <see cref="Manager"/> failed (separation of duties).</summary>
    public const string SecondManager = "dave@contoso.com";
    public const string ReleaseTeam = "bob@contoso.com";
    public const string Tactics = "erin@contoso.com";

    /// <summary>The passphrase of the sample's test signing key (eng/sample/build-sample.sh), in the variable release.json names.</summary>
    public const string SigningPassphraseVariable = "CONTOSO_SAMPLE_SIGNING_PASSPHRASE";
    public const string SigningPassphrase = "contoso-sample-signing";

    public static readonly string[] Channels = ["Contoso Sample Builds", "Source Validation", "Candidate Validation", "Release Staging", "Publish Release", "Contoso Sample Released"];

    /// <summary>The verbs that record something signed, and so take --signing-key.</summary>
    private static readonly string[] SigningVerbs = ["prep", "validate-source", "validate-build", "stage", "publish", "approve", "reject", "override", "accept-definition"];

    private SampleRelease(string directory, string sample, bool signed)
    {
        Directory = directory;
        Sample = sample;
        Signed = signed;
    }

    /// <summary>Decisions and runs are signed: each person's verbs get --signing-key with their key from sample/keys (build-sample.sh), if they have one.</summary>
    public bool Signed { get; }

    /// <summary>The sample's definition with signed decisions required, the way eng/run-sample-release.sh runs it.</summary>
    public static string RequireSignatures(string definition) => definition.Replace(
        "\"store\": { \"kind\": \"local\", \"path\": \".release\" },",
        "\"store\": { \"kind\": \"local\", \"path\": \".release\" },\n  \"identity\": { \"allowedSigners\": \"sample/keys/allowed_signers\", \"require\": \"signed\" },",
        StringComparison.Ordinal);

    public string Directory { get; }

    public string Sample { get; }

    public int CoreBuildId { get; private set; }

    public int AppBuildId { get; private set; }

    public string DropPath => Path.Combine(Directory, ".release", "contoso-sample-1.0.0", "drop");

    public string LedgerPath => Path.Combine(Directory, ".release", "contoso-sample-1.0.0", "ledger.jsonl");

    /// <summary>Creates the folder, copies the definition (optionally edited) and registers the sample's builds.</summary>
    public static async Task<SampleRelease> CreateAsync(string sample, Func<string, string>? editDefinition = null, bool signed = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), "release-test-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        var definition = await File.ReadAllTextAsync(Path.Combine(SampleProducts.RepositoryRoot, "eng", "sample", "release.json"));
        definition = signed ? RequireSignatures(definition) : definition;
        await File.WriteAllTextAsync(Path.Combine(directory, "release.json"), editDefinition is null ? definition : editDefinition(definition));
        // The definition names the sample's certificates as sample/certs/…, as eng/run-sample-release.sh lays it out.
        System.IO.Directory.CreateSymbolicLink(Path.Combine(directory, "sample"), sample);
        // The channel's published metadata the stage ring merges into, as eng/run-sample-release.sh copies it.
        var published = System.IO.Directory.CreateDirectory(Path.Combine(directory, "channel")).FullName;
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(SampleProducts.RepositoryRoot, "eng", "sample", "channel")))
        {
            File.Copy(file, Path.Combine(published, Path.GetFileName(file)));
        }

        // The executable inherits it, as it would from a pipeline's secret variable.
        System.Environment.SetEnvironmentVariable(SigningPassphraseVariable, SigningPassphrase);
        var release = new SampleRelease(directory, sample, signed);
        foreach (var channel in Channels)
        {
            (await release.RunAsync(Manager, "bar", "add-channel", channel)).ShouldSucceed();
        }

        release.CoreBuildId = await release.AddBuildAsync(Path.Combine(sample, "bar", "sample-core.build.json"));
        var app = (await File.ReadAllTextAsync(Path.Combine(sample, "bar", "sample-app.build.json.in"))).Replace("@CORE_BUILD_ID@", release.CoreBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var appFile = Path.Combine(directory, "sample-app.build.json");
        await File.WriteAllTextAsync(appFile, app);
        release.AppBuildId = await release.AddBuildAsync(appFile);
        foreach (var id in new[] { release.CoreBuildId, release.AppBuildId })
        {
            (await release.RunAsync(Manager, "bar", "add-to-channel", "--build", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--channel", Channels[0])).ShouldSucceed();
        }

        return release;
    }

    /// <summary>When set, every verb but <c>bar</c> runs with <c>--store</c> this location (a blob container), as an agent would.</summary>
    public string? Store { get; set; }

    /// <summary>Variables every run gets (the store's credential).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public Task<ExeResult> RunAsync(string actor, params string[] args) => RunAsync(actor, new Dictionary<string, string>(), args);

    public Task<ExeResult> RunAsync(string actor, IDictionary<string, string> environment, params string[] args) =>
        ReleaseExe.RunAsync(Directory, actor, WithStore(WithKey(actor, args)), WithEnvironment(environment));

    /// <summary>The arguments with <c>--store</c> added when <see cref="Store"/> is set.</summary>
    public string[] WithStore(string[] args) => Store is null || args[0] == "bar" ? args : [.. args, "--store", Store];

    public Dictionary<string, string> WithEnvironment(IDictionary<string, string>? environment = null)
    {
        var all = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>The private key file of a person of the sample (alice, bob, …), as build-sample.sh made it.</summary>
    public string KeyOf(string actor) => Path.Combine(Sample, "keys", actor.Split('@')[0]);

    private string[] WithKey(string actor, string[] args) =>
        Signed && args.Length > 0 && SigningVerbs.Contains(args[0]) && !args.Contains("--signing-key") && File.Exists(KeyOf(actor))
            ? [.. args, "--signing-key", KeyOf(actor)]
            : args;

    /// <summary>prep as the manager, the Release Team's approval, prep again: the ring promoted.</summary>
    public async Task PrepAndPromoteAsync()
    {
        Assert.Equal(3, (await RunAsync(Manager, "prep", "--build", AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        (await RunAsync(ReleaseTeam, "approve", "prep", "--gate", "release-team")).ShouldSucceed();
        (await RunAsync(Manager, "prep")).ShouldSucceed();
    }

    /// <summary>The wall time of stage's first run in <see cref="ValidateAndStageAsync"/>: the one that runs its steps and gates.</summary>
    public TimeSpan? StageRunTime { get; private set; }

    /// <summary>The four validate-build steps the broken sample fails (README: SIGN001, PKG012/PKG013, SYM002, SRC003).</summary>
    public static readonly string[] BrokenBuildValidationSteps = ["signing", "packages", "symbols", "sourcelink"];

    /// <summary>
    /// After prep: validate-source, validate-build with the teams' sign-offs and Tactics' approval, and stage with
    /// Tactics' approval, each ring promoted. With <paramref name="broken"/> (the broken sample after
    /// <see cref="PrepBrokenAndPromoteAsync"/>), the failures it was built to have are overridden on the way by the
    /// other manager, each with its justification: the SDL step of validate-source and four validate-build steps.
    /// <paramref name="whileStagePending"/> runs after stage's first run, while it waits for Tactics.
    /// Returns the stage ring's JSON document.
    /// </summary>
    public async Task<string> ValidateAndStageAsync(bool broken = false, Func<Task>? whileStagePending = null)
    {
        if (broken)
        {
            await ValidateBrokenSourceAsync();
            (await RunAsync(Manager, "validate-build")).ShouldExitWith(1);
            foreach (var step in BrokenBuildValidationSteps)
            {
                (await RunAsync(SecondManager, "override", "validate-build", "--step", step, "--justification", $"the broken sample's {step} findings are pinned by BuildValidationTests; shipping it exercises stage")).ShouldSucceed();
            }
        }
        else
        {
            (await RunAsync(Manager, "validate-source")).ShouldSucceed();
            (await RunAsync(Manager, "validate-build")).ShouldExitWith(3);
        }

        (await RunAsync("carol@contoso.com", "approve", "validate-build", "--gate", "team-sign-offs")).ShouldSucceed();
        (await RunAsync("dave@contoso.com", "approve", "validate-build", "--gate", "team-sign-offs")).ShouldSucceed();
        (await RunAsync(Tactics, "approve", "validate-build", "--gate", "tactics")).ShouldSucceed();
        (await RunAsync(Manager, "validate-build")).ShouldSucceed();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (await RunAsync(Manager, "stage")).ShouldExitWith(3);
        StageRunTime = clock.Elapsed;
        if (whileStagePending is not null)
        {
            await whileStagePending();
        }

        (await RunAsync(Tactics, "approve", "stage", "--gate", "tactics")).ShouldSucceed();
        // The stage ring's document, with its staging steps' outputs, matches the ring schema.
        var stage = (await RunAsync(Manager, "stage", "--output", "json")).ShouldSucceed().StandardOutput;
        OutputSchemas.AssertValid("ring", stage);
        return stage;
    }

    /// <summary>
    /// validate-source of the broken sample: the SDL leg of sample-app fails on the planted key, the other manager
    /// overrides the step, and validate-source again promotes.
    /// </summary>
    public async Task ValidateBrokenSourceAsync()
    {
        (await RunAsync(Manager, "validate-source")).ShouldExitWith(1);
        (await RunAsync(SecondManager, "override", "validate-source", "--step", "sdl", "--justification", "the broken sample's planted key is covered by SourceValidationTests")).ShouldSucceed();
        (await RunAsync(Manager, "validate-source")).ShouldSucceed();
    }

    /// <summary>
    /// prep of the broken sample: it fails on its incoherent versions, the other manager overrides that gate, the Release
    /// Team approves, and prep again promotes.
    /// </summary>
    public async Task PrepBrokenAndPromoteAsync()
    {
        (await RunAsync(Manager, "prep", "--build", AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldExitWith(1);
        (await RunAsync(SecondManager, "override", "prep", "--gate", "versions", "--justification", "0.9.0 is the servicing build of the old major")).ShouldSucceed();
        (await RunAsync(ReleaseTeam, "approve", "prep", "--gate", "release-team")).ShouldSucceed();
        (await RunAsync(Manager, "prep")).ShouldSucceed();
    }

    private async Task<int> AddBuildAsync(string file)
    {
        var result = await RunAsync(Manager, "bar", "add-build", file);
        result.ShouldSucceed();
        return int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
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

public static class ExeResultAssertions
{
    public static ExeResult ShouldSucceed(this ExeResult result) => result.ShouldExitWith(0);

    public static ExeResult ShouldExitWith(this ExeResult result, int code)
    {
        Assert.True(result.ExitCode == code, $"expected exit {code}, got {result}");
        return result;
    }
}
