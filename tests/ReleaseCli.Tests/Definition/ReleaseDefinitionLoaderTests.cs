using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Gates;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Hosting;
using ReleaseCli.Output;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Definition;

public sealed class ReleaseDefinitionLoaderTests
{
    private static readonly ReleaseDefinitionLoader Loader = new(new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>())]), new GateCatalog(BuiltInGates.All));

    private static readonly ReleaseDefinitionLoader StepsLoader = new(new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>()), new ReleaseCli.Rings.Commands.CommandStep()]), new GateCatalog(BuiltInGates.All));

    internal static string Valid(string? prepSteps = null, string? prepGates = null, string? extraTop = null) => $$"""
        {
          "release": "r1", "product": "P", "version": "1.2.3",
          {{extraTop ?? string.Empty}}
          "groups": { "team": ["a@x.com", "b@x.com"] },
          "rings": {
            "prep": { "sourceChannel": "Builds", "targetChannel": "SV", "overriders": ["a@x.com"],
                      "steps": {{prepSteps ?? """[{ "kind": "gather-drop" }]"""}},
                      "gates": {{prepGates ?? """[{ "kind": "contract-valid" }, { "id": "rt", "kind": "approval", "approvers": ["group:team"] }]"""}} },
            "validate-source": { "sourceChannel": "SV", "targetChannel": "CV", "gates": [{ "kind": "contract-valid" }] },
            "validate-build": { "sourceChannel": "CV", "targetChannel": "RS", "gates": [{ "kind": "contract-valid" }] },
            "stage": { "sourceChannel": "RS", "targetChannel": "PR", "gates": [{ "kind": "contract-valid" }] },
            "publish": { "sourceChannel": "PR", "gates": [{ "kind": "contract-valid" }] }
          }
        }
        """;

    private static string Write(TestDirectory folder, string name, string json)
    {
        File.WriteAllText(folder.Combine(name), json);
        return folder.Combine(name);
    }

    private static DefinitionException Fails(string json) =>
        Assert.Throws<DefinitionException>(() => Loader.Parse(json, "/tmp/release.json"));

    [Fact]
    public void A_valid_definition_loads_with_defaults()
    {
        var definition = Loader.Parse(Valid(), "/tmp/x/release.json");
        Assert.Equal("r1", definition.ReleaseId);
        Assert.Equal(BarSettings.LocalKind, definition.Bar.Kind);
        Assert.Equal("gather-drop", definition.Rings["prep"].Steps.Single().Id);
        Assert.Null(definition.Rings["publish"].TargetChannel);
        Assert.Equal(["a@x.com", "b@x.com"], definition.ExpandPrincipals(["group:team"]).Order());
    }

    [Fact]
    public void Identity_defaults_to_unverified_requires_signatures_once_allowed_signers_are_named_and_names_each_mistake()
    {
        Assert.Equal(IdentitySettings.Unverified, Loader.Parse(Valid(), "/tmp/x/release.json").Identity);

        using var folder = new TestDirectory();
        File.WriteAllText(folder.Combine("allowed_signers"), string.Empty);
        var signed = Loader.Parse(Valid(extraTop: "\"identity\": { \"allowedSigners\": \"allowed_signers\" },"), folder.Combine("release.json"));
        Assert.Equal(new IdentitySettings("allowed_signers", SignatureRequirement.Signed), signed.Identity);
        var optional = Loader.Parse(Valid(extraTop: "\"identity\": { \"allowedSigners\": \"allowed_signers\", \"require\": \"none\" },"), folder.Combine("release.json"));
        Assert.Equal(SignatureRequirement.None, optional.Identity.Require);

        var errors = Fails(Valid(extraTop: "\"identity\": { \"require\": \"signed\" },")).Message;
        Assert.Contains("$.identity.allowedSigners: is required when require is \"signed\"", errors, StringComparison.Ordinal);
        Assert.Contains("$.identity.require: 'always' is not \"signed\" or \"none\"", Fails(Valid(extraTop: "\"identity\": { \"allowedSigners\": \"a\", \"require\": \"always\" },")).Message, StringComparison.Ordinal);
        Assert.Contains("$.identity.allowedSigners: 'missing' (/tmp/missing) does not exist", Fails(Valid(extraTop: "\"identity\": { \"allowedSigners\": \"missing\" },")).Message, StringComparison.Ordinal);
        Assert.Contains("$.identity.signers", Fails(Valid(extraTop: "\"identity\": { \"signers\": \"x\" },")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundled_sample_definition_is_valid()
    {
        var path = System.IO.Path.Combine(RepositoryRoot(), "eng", "sample", "release.json");
        // The tool's own step catalogue, as the executable registers it.
        using var services = new ServiceCollection().AddLogging().AddReleaseCli(new CliConsole(TextWriter.Null, TextWriter.Null, outputIsTerminal: false)).BuildServiceProvider();
        var definition = services.GetRequiredService<ReleaseDefinitionLoader>().Load(path);
        Assert.Contains(definition.Rings["validate-build"].Steps, s => s.Kind == "signing-validation");
        Assert.Equal("contoso-sample-1.0.0", definition.ReleaseId);
        Assert.Equal(5, definition.Rings.Count);
    }

    [Fact]
    public void An_unknown_step_is_named_with_its_path_and_the_closest_kind()
    {
        var error = Fails(Valid(prepSteps: """[{ "kind": "gather-drops" }]"""));
        Assert.Contains("$.rings.prep.steps[0].kind: unknown step 'gather-drops'. Did you mean 'gather-drop'?", error.Message);
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
    }

    [Fact]
    public void A_missing_channel_is_an_error()
    {
        var error = Fails(Valid().Replace("\"sourceChannel\": \"RS\", ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("$.rings.stage.sourceChannel: is required", error.Message);
    }

    [Fact]
    public void A_gate_with_no_approvers_is_an_error()
    {
        var error = Fails(Valid(prepGates: """[{ "id": "rt", "kind": "approval" }]"""));
        Assert.Contains("$.rings.prep.gates[0].approvers: an approval gate needs at least one approver", error.Message);
    }

    [Fact]
    public void A_typo_in_a_key_is_reported_with_a_suggestion()
    {
        var error = Fails(Valid().Replace("\"targetChannel\": \"CV\"", "\"targetChanel\": \"CV\"", StringComparison.Ordinal));
        Assert.Contains("$.rings.validate-source.targetChanel: unknown key 'targetChanel'. Did you mean 'targetChannel'?", error.Message);
        Assert.Contains("$.rings.validate-source.targetChannel: is required", error.Message);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var error = Fails(Valid(prepGates: """[{ "kind": "approval" }, { "kind": "no-such-gate" }]""").Replace("\"version\": \"1.2.3\"", "\"version\": \"one\"", StringComparison.Ordinal));
        Assert.True(error.Errors.Count >= 3, error.Message);
        Assert.Contains(error.Errors, e => e.StartsWith("$.version:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("$.rings.prep.gates[1].kind: unknown gate 'no-such-gate'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dependency_cycle_and_an_unknown_dependency_are_errors()
    {
        var cycle = Fails(Valid(prepSteps: """[{ "id": "a", "kind": "gather-drop", "dependsOn": ["b"] }, { "id": "b", "kind": "gather-drop", "dependsOn": ["a"] }]"""));
        Assert.Contains("cycle: a -> b -> a", cycle.Message);
        var unknown = Fails(Valid(prepSteps: """[{ "id": "a", "kind": "gather-drop", "dependsOn": ["zz"] }]"""));
        Assert.Contains("$.rings.prep.steps[0].dependsOn: 'zz' is not a step of this ring", unknown.Message);
    }

    [Fact]
    public void An_unknown_group_and_an_impossible_min_approvals_are_errors()
    {
        var error = Fails(Valid(prepGates: """[{ "kind": "approval", "approvers": ["group:nobody", "c@x.com"], "minApprovals": 3 }]"""));
        Assert.Contains("$.rings.prep.gates[0].approvers[0]: group 'nobody' is not defined in $.groups", error.Message);
        Assert.Contains("asks for 3 approvals but only 1 people can approve", error.Message);
    }

    [Fact]
    public void Step_settings_are_validated_by_the_step()
    {
        var error = Fails(Valid(prepSteps: """[{ "kind": "gather-drop", "settings": { "maxDownloads": 0, "colour": "red" } }]"""));
        Assert.Contains("$.rings.prep.steps[0].settings.maxDownloads: expected a whole number from 1 to 256.", error.Message);
        Assert.Contains("$.rings.prep.steps[0].settings.colour: unknown setting", error.Message);
    }

    [Fact]
    public void Without_step_settings_a_definition_loads_its_structure_and_the_settings_are_checked_later_with_the_same_errors()
    {
        using var folder = new TestDirectory();
        var path = folder.Combine("release.json");
        File.WriteAllText(path, Valid(prepSteps: """[{ "kind": "command", "settings": { "command": ["true"] } }, { "kind": "gather-drop", "settings": { "maxDownloads": 0, "colour": "red" } }]"""));
        var full = Assert.Throws<DefinitionException>(() => StepsLoader.Load(path));

        var structure = StepsLoader.LoadWithoutStepSettings(path);
        Assert.False(structure.StepSettingsChecked);
        Assert.Equal(["command", "gather-drop"], structure.Rings["prep"].Steps.Select(s => s.Id));
        Assert.NotNull(structure.SourceDigest);
        var later = Assert.Throws<DefinitionException>(() => StepsLoader.CheckStepSettings(structure));

        // The same errors, at the same JSON paths, as a full load reports.
        Assert.Equal(full.Errors.Order(StringComparer.Ordinal), later.Errors.Order(StringComparer.Ordinal));
        Assert.Contains("$.rings.prep.steps[1].settings.maxDownloads: expected a whole number from 1 to 256.", later.Errors);
        Assert.Equal(2, later.Errors.Count);
    }

    [Fact]
    public void A_definition_whose_step_settings_are_good_is_marked_checked_and_a_structural_mistake_still_stops_a_load_without_them()
    {
        using var folder = new TestDirectory();
        var good = StepsLoader.LoadWithoutStepSettings(Write(folder, "good.json", Valid(prepSteps: """[{ "kind": "gather-drop", "settings": { "maxDownloads": 4 } }]""")));
        Assert.True(StepsLoader.CheckStepSettings(good).StepSettingsChecked);
        Assert.True(StepsLoader.Load(folder.Combine("good.json")).StepSettingsChecked);

        var error = Assert.Throws<DefinitionException>(() => StepsLoader.LoadWithoutStepSettings(Write(folder, "bad.json", Valid(prepSteps: """[{ "kind": "gather-drop", "settings": { "maxDownloads": 0 } }, { "kind": "gather-drop" }]"""))));
        Assert.Contains("$.rings.prep.steps[1].id: step id 'gather-drop' is used twice; give each step a unique id.", error.Errors);
        Assert.DoesNotContain(error.Errors, e => e.Contains("maxDownloads", StringComparison.Ordinal));
    }

    [Fact]
    public void Steps_succeeded_in_a_ring_without_steps_is_refused()
    {
        var error = Fails(Valid().Replace("\"stage\": { \"sourceChannel\": \"RS\", \"targetChannel\": \"PR\", \"gates\": [{ \"kind\": \"contract-valid\" }]", "\"stage\": { \"sourceChannel\": \"RS\", \"targetChannel\": \"PR\", \"gates\": [{ \"kind\": \"steps-succeeded\" }]", StringComparison.Ordinal));
        Assert.Contains("$.rings.stage.gates[0].kind: this ring has no steps", error.Message);
    }

    [Fact]
    public void Invalid_json_names_the_line()
    {
        var error = Fails("{\n  \"product\": \"P\",\n  \"version\": \n}");
        Assert.Contains("$: not valid JSON at line 4", error.Message);
    }

    [Fact]
    public void A_missing_file_says_how_to_point_at_one()
    {
        var error = Assert.Throws<ReleaseException>(() => Loader.Load("/nonexistent/release.json"));
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains("--definition", error.Message);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "ReleaseCli.sln")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }
}
