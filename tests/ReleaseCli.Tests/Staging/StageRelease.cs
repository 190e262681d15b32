using System.Runtime.Versioning;
using ReleaseCli.Core;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Gates;
using ReleaseCli.Rings.Staging.Steps;
using ReleaseCli.Tests.Engine;

namespace ReleaseCli.Tests.Staging;

/// <summary>
/// A release on the real engine whose stage ring runs every stage step kind over the harness's drop, with a
/// throwaway OpenPGP key made by real gpg and the sample's published channel metadata to merge into.
/// </summary>
internal static class StageRelease
{
    public const string PassphraseVariable = "RELEASE_UNIT_STAGE_PASSPHRASE";
    public const string Passphrase = "stage test passphrase";
    public const string KeyUser = "stage-test@example.org";
    public const string Tarball = "p-1.0.0-linux-x64.tar.gz";
    public const string Zip = "p-1.0.0-win-x64.zip";

    public const string StageSteps = $$"""
        { "id": "tarball", "kind": "archive", "settings": { "name": "{{Tarball}}", "layout": [{ "include": ["shipping/assets/files/**"], "stripPrefix": "shipping/assets/files", "placeUnder": "p" }], "executable": ["**/file0.txt"] } },
        { "id": "zip", "kind": "archive", "settings": { "name": "{{Zip}}", "layout": [{ "include": ["shipping/assets/files/*.txt"], "exclude": ["**/file2.txt"], "stripPrefix": "shipping/assets/files" }] } },
        { "id": "sign", "kind": "sign", "dependsOn": ["tarball", "zip"], "settings": { "keyring": "keys", "keyId": "{{KeyUser}}", "passphraseVariable": "{{PassphraseVariable}}", "dropFiles": ["shipping/assets/files/file1.txt"] } },
        { "id": "checksums", "kind": "checksums", "dependsOn": ["tarball", "zip"] },
        { "id": "notes", "kind": "release-notes", "dependsOn": ["tarball", "zip"], "settings": { "downloads": [
            { "file": "{{Tarball}}", "rid": "linux-x64", "column": "Binaries" }, { "file": "{{Zip}}", "rid": "win-x64", "column": "Binaries" }, { "file": "file0.txt", "rid": "linux-x64", "column": "Extras" } ] } },
        { "id": "metadata", "kind": "release-metadata", "dependsOn": ["tarball", "zip"], "settings": { "mergeInto": "channel", "components": [
            { "kind": "runtime", "files": [{ "file": "{{Tarball}}", "rid": "linux-x64" }, { "file": "{{Zip}}", "rid": "win-x64" }] } ] } }
        """;

    public static string Definition(string releaseData = """ "releaseDate": "2026-12-08", "cves": [{ "id": "CVE-2026-12345", "url": "https://cve.example.org/CVE-2026-12345" }], "downloadBaseUrl": "https://downloads.example.org/p/1.0.0", """, string stageSteps = StageSteps) => $$"""
        {
          "release": "r1", "product": "P", "version": "1.0.0",
          {{releaseData}}
          "rings": {
            "prep": { "sourceChannel": "Builds", "targetChannel": "SV", "steps": [{ "kind": "gather-drop" }], "gates": [{ "kind": "steps-succeeded" }] },
            "validate-source": { "sourceChannel": "SV", "targetChannel": "CV", "gates": [{ "kind": "contract-valid" }] },
            "validate-build": { "sourceChannel": "CV", "targetChannel": "RS", "gates": [{ "kind": "contract-valid" }] },
            "stage": { "sourceChannel": "RS", "targetChannel": "PR", "steps": [ {{stageSteps}} ],
                       "gates": [{ "kind": "steps-succeeded" }, { "kind": "contract-valid" }, { "kind": "artifacts-valid" }] },
            "publish": { "sourceChannel": "PR", "targetChannel": "Done", "gates": [{ "kind": "contract-valid" }] }
          }
        }
        """;

    /// <summary>A release brought to the stage ring's entry: the key and the channel folder in place, the three rings before promoted.</summary>
    [UnsupportedOSPlatform("windows")]
    public static async Task<EngineHarness> ReadyForStageAsync(string? definition = null, global::ReleaseCli.Core.Signing.ISigningServiceClientFactory? signingServices = null)
    {
        Environment.SetEnvironmentVariable(PassphraseVariable, Passphrase);
        var harness = await EngineHarness.CreateAsync(definition ?? Definition(), extraGates: [new ArtifactsValidGate()], extraSteps: [new ArchiveStep(), new ChecksumsStep(), new SignStep(null, signingServices), new ReleaseNotesStep(), new ReleaseMetadataStep()]);
        await MakeKeyAsync(harness.Directory.Combine("keys"));
        var channel = Directory.CreateDirectory(harness.Directory.Combine("channel")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(global::ReleaseCli.Tests.Definition.ReleaseDefinitionLoaderTests.RepositoryRoot(), "eng", "sample", "channel")))
        {
            File.Copy(file, Path.Combine(channel, Path.GetFileName(file)));
        }

        foreach (var ring in new[] { "prep", "validate-source", "validate-build" })
        {
            var outcome = await harness.RunAsync(ring);
            Assert.True(outcome.ExitCode == ExitCode.Success, $"{ring}: {outcome.Message}");
        }

        return harness;
    }

    [UnsupportedOSPlatform("windows")]
    public static async Task MakeKeyAsync(string keyring)
    {
        Directory.CreateDirectory(keyring);
        File.SetUnixFileMode(keyring, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var generate = await ExternalTool.RunAsync("gpg",
            ["--homedir", keyring, "--batch", "--pinentry-mode", "loopback", "--passphrase", Passphrase,
             "--quick-gen-key", $"Stage Test <{KeyUser}>", "ed25519", "sign", "never"]);
        Assert.True(generate.ExitCode == 0, generate.Error);
        await ExternalTool.RunAsync("gpgconf", ["--homedir", keyring, "--kill", "gpg-agent"]);
    }

    public static async Task<byte[]> ReadArtifactAsync(EngineHarness harness, string name) =>
        await File.ReadAllBytesAsync(harness.Store.ArtifactPath("r1", (await harness.StateAsync()).Artifacts().Single(a => a.Entry.Name == name).StorePath));
}
