using System.Diagnostics;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Definition;

/// <summary>What the definition names is checked before anything is written: ids, folders, keys, groups, the file itself.</summary>
public sealed class DefinitionSafetyTests : IDisposable
{
    private static readonly ReleaseDefinitionLoader Loader = new(new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>())]), new GateCatalog(BuiltInGates.All));
    private readonly TestDirectory _work = new();

    private static DefinitionException Fails(string json, string path = "/tmp/defs/release.json") =>
        Assert.Throws<DefinitionException>(() => Loader.Parse(json, path));

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    public void A_release_id_of_dots_is_refused(string id)
    {
        var error = Fails(ReleaseDefinitionLoaderTests.Valid().Replace("\"release\": \"r1\"", $"\"release\": \"{id}\"", StringComparison.Ordinal));

        Assert.Contains(error.Errors, e => e.StartsWith($"$.release: '{id}' names the store's own folder or its parent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(".", "holds the release definition")]
    [InlineData("..", "holds the release definition")]
    [InlineData(".release", "holds the store")]
    [InlineData(".release/drop", "is inside the store")]
    [InlineData("/", "holds the release definition")]
    public void A_drop_that_would_hold_the_definition_or_the_store_is_refused(string drop, string clash)
    {
        var error = Fails(ReleaseDefinitionLoaderTests.Valid(extraTop: $"\"drop\": \"{drop}\","));

        var message = Assert.Single(error.Errors, e => e.StartsWith("$.drop:", StringComparison.Ordinal));
        Assert.Contains(clash, message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
    }

    [Fact]
    public void A_drop_that_would_hold_the_local_bar_is_refused()
    {
        var error = Fails(ReleaseDefinitionLoaderTests.Valid(extraTop: "\"drop\": \"data\", \"bar\": { \"kind\": \"local\", \"path\": \"data/bar.db\" },"));

        Assert.Contains(error.Errors, e => e.StartsWith("$.drop:", StringComparison.Ordinal) && e.Contains("holds the BAR database", StringComparison.Ordinal));
    }

    [Fact]
    public void A_drop_of_its_own_beside_the_definition_is_accepted()
    {
        var definition = Loader.Parse(ReleaseDefinitionLoaderTests.Valid(extraTop: "\"drop\": \"drop\","), "/tmp/defs/release.json");

        Assert.Equal("/tmp/defs/drop", definition.ResolvePath(definition.DropPath!));
    }

    [Fact]
    public void A_key_given_twice_is_refused_with_its_path_wherever_it_is()
    {
        var json = ReleaseDefinitionLoaderTests.Valid(
            prepSteps: """[{ "kind": "gather-drop", "settings": { "maxDownloads": 2, "maxDownloads": 200 } }]""",
            prepGates: """[{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["a@x.com"], "approvers": ["mallory@x.com"] }]""")
            .Replace("\"product\": \"P\"", "\"product\": \"P\", \"product\": \"Q\"", StringComparison.Ordinal);

        var error = Fails(json);

        Assert.Contains(error.Errors, e => e.StartsWith("$.product: appears more than once", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("$.rings.prep.gates[1].approvers: appears more than once", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("$.rings.prep.steps[0].settings.maxDownloads: appears more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void A_group_inside_a_group_is_expanded_for_approvals_and_for_the_min_approvals_count()
    {
        var json = ReleaseDefinitionLoaderTests.Valid(prepGates: """[{ "id": "rt", "kind": "approval", "approvers": ["group:leads"], "minApprovals": 3 }]""")
            .Replace("\"groups\": { \"team\": [\"a@x.com\", \"b@x.com\"] }", "\"groups\": { \"team\": [\"a@x.com\", \"b@x.com\"], \"leads\": [\"c@x.com\", \"group:team\"] }", StringComparison.Ordinal);

        var definition = Loader.Parse(json, "/tmp/defs/release.json");

        Assert.Equal(["a@x.com", "b@x.com", "c@x.com"], definition.ExpandPrincipals(["group:leads"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_group_that_includes_itself_directly_or_through_others_is_refused_with_the_chain()
    {
        var json = ReleaseDefinitionLoaderTests.Valid()
            .Replace("\"groups\": { \"team\": [\"a@x.com\", \"b@x.com\"] }", "\"groups\": { \"team\": [\"a@x.com\", \"group:leads\"], \"leads\": [\"group:team\"], \"self\": [\"group:self\"], \"x\": [\"group:nobody\"] }", StringComparison.Ordinal);

        var error = Fails(json);

        Assert.Contains("$.groups.team[1]: group 'team' would include itself (team -> leads -> team)", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.groups.self[0]: group 'self' would include itself (self -> self)", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.groups.x[0]: group 'nobody' is not defined in $.groups.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definition_that_is_a_pipe_is_refused_without_waiting_for_a_writer()
    {
        var fifo = _work.Combine("release.json");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var error = await Task.Run(() => Assert.Throws<ReleaseException>(() => Loader.Load(fifo))).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains($"{fifo} is empty, or not a regular file (a pipe or a device)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_that_is_a_device_is_refused_without_reading_it()
    {
        var error = Assert.Throws<ReleaseException>(() => Loader.Load("/dev/zero"));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("/dev/zero is empty, or not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_over_4_MiB_is_refused_naming_the_file()
    {
        var big = _work.Combine("release.json");
        File.WriteAllText(big, ReleaseDefinitionLoaderTests.Valid() + new string(' ', ReleaseDefinitionLoader.MaxDefinitionBytes));

        var error = Assert.Throws<ReleaseException>(() => Loader.Load(big));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains($"The release definition {big} is", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 4 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_under_the_bound_with_a_byte_order_mark_loads()
    {
        var file = _work.Combine("release.json");
        File.WriteAllText(file, ReleaseDefinitionLoaderTests.Valid(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal("r1", Loader.Load(file).ReleaseId);
    }

    public void Dispose() => _work.Dispose();
}
