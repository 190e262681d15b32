using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Drop;
using ReleaseCli.Rings;
using ReleaseCli.Rings.Prep;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Tests.Staging;

/// <summary>The stage step kinds' settings are checked when the definition is loaded, every mistake with its JSON path.</summary>
public sealed class StageSettingsTests
{
    private static readonly ReleaseDefinitionLoader Loader = new(
        new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>()), new ArchiveStep(), new ChecksumsStep(), new SignStep(null), new ReleaseNotesStep(), new ReleaseMetadataStep()]),
        new Core.Gates.GateCatalog(RingsServiceCollectionExtensions.AllGateKinds));

    [Fact]
    public void Mistakes_in_stage_settings_are_reported_at_once_with_their_paths()
    {
        var error = Assert.Throws<DefinitionException>(() => Loader.Parse(StageRelease.Definition(stageSteps: """
            { "id": "a", "kind": "archive", "settings": { "name": "app.rar", "layout": [{ "exclude": ["x"] }] } },
            { "id": "s", "kind": "sign", "settings": { "keyring": "keys", "keyId": "k", "passphraseVariable": "hunter2 is my passphrase", "artifacts": [] } },
            { "id": "n", "kind": "release-notes", "settings": { "downloads": [{ "file": "app.zip", "rid": "", "column": "Binaries" }] } },
            { "id": "m", "kind": "release-metadata", "settings": { "mergeInto": "channel", "components": [{ "kind": "runtimes" }] } }
            """), "/tmp/release.json"));

        var text = string.Join('\n', error.Errors);
        Assert.Contains("$.rings.stage.steps[0].settings.name: 'app.rar' ends in neither .tar.gz nor .zip", text, StringComparison.Ordinal);
        Assert.Contains("$.rings.stage.steps[0].settings.layout[0].include: list the drop paths", text, StringComparison.Ordinal);
        Assert.Contains("$.rings.stage.steps[1].settings.passphraseVariable: give the name of the environment variable", text, StringComparison.Ordinal);
        Assert.Contains("$.rings.stage.steps[1].settings.artifacts: the step would sign nothing", text, StringComparison.Ordinal);
        Assert.Contains("$.rings.stage.steps[2].settings.downloads[0].rid: is required", text, StringComparison.Ordinal);
        Assert.Contains("$.rings.stage.steps[3].settings.components[0].kind: 'runtimes' is not a component", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_kinds_and_the_artifacts_valid_gate_are_refused_outside_stage()
    {
        var json = StageRelease.Definition().Replace(
            """ "steps": [{ "kind": "gather-drop" }], "gates": [{ "kind": "steps-succeeded" }] """.Trim(),
            """ "steps": [{ "kind": "gather-drop" }, { "id": "c", "kind": "checksums" }], "gates": [{ "kind": "steps-succeeded" }, { "kind": "artifacts-valid" }] """.Trim(),
            StringComparison.Ordinal);
        Assert.NotEqual(StageRelease.Definition(), json);

        var text = string.Join('\n', Assert.Throws<DefinitionException>(() => Loader.Parse(json, "/tmp/release.json")).Errors);

        Assert.Contains("$.rings.prep.steps[1].kind: a 'checksums' step cannot be used in prep; it belongs in stage.", text, StringComparison.Ordinal);
        Assert.Contains("$.rings.prep.gates[1]", text, StringComparison.Ordinal);
    }
}
