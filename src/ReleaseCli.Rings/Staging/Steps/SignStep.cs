using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// Makes detached, armored OpenPGP signatures (<c>&lt;file&gt;.asc</c>) of chosen artifacts of the steps it depends
/// on and of chosen drop files. Each signature is checked with <c>gpg --verify</c> before it is recorded, so a
/// wrong key or a broken signature never becomes an artifact. The key's folder is copied to a private working
/// copy (gpg writes into its home folder) and the passphrase is read from the environment only.
/// </summary>
public sealed partial class SignStep(SecretMasker? masker) : RingStep<SignSettings>(Descriptor, RingsSettingsJsonContext.Default.SignSettings)
{
    public const string StepKind = "sign";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "makes detached OpenPGP signatures (.asc) of artifacts and drop files, each verified with gpg before it is recorded",
        Rings: [RingName.Stage],
        sp => new SignStep((SecretMasker?)sp.GetService(typeof(SecretMasker))));

    protected override IEnumerable<(string Key, string Message)> Validate(SignSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Keyring))
        {
            yield return ("keyring", "name the GnuPG home folder that holds the signing key, relative to release.json.");
        }

        if (string.IsNullOrWhiteSpace(settings.KeyId))
        {
            yield return ("keyId", "give the signing key's id or fingerprint.");
        }

        if (!EnvironmentName().IsMatch(settings.PassphraseVariable))
        {
            yield return ("passphraseVariable", "give the name of the environment variable that holds the passphrase (letters, digits and '_'), never the passphrase itself.");
        }

        if (settings.Artifacts is { Count: 0 } && settings.DropFiles is null or { Count: 0 })
        {
            yield return ("artifacts", "the step would sign nothing; list artifact globs, or leave 'artifacts' out to sign every artifact of the steps it depends on.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, SignSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { settings.Keyring, settings.KeyId, settings.Artifacts, settings.DropFiles }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, SignSettings settings, CancellationToken cancellationToken)
    {
        var passphrase = Environment.GetEnvironmentVariable(settings.PassphraseVariable);
        if (string.IsNullOrEmpty(passphrase))
        {
            throw ReleaseException.Usage($"step '{context.Step.Id}' needs the passphrase of key {settings.KeyId} in the environment variable {settings.PassphraseVariable} (settings.passphraseVariable); set it and run the ring again");
        }

        masker?.Register(passphrase);
        var keyring = context.Definition.ResolvePath(settings.Keyring);
        if (!Directory.Exists(keyring))
        {
            throw ReleaseException.Usage($"the keyring folder {keyring} of step '{context.Step.Id}' (settings.keyring) does not exist");
        }

        var artifacts = context.RequireArtifacts();
        var chosen = ChooseArtifacts(context, settings);
        var dropFiles = ChooseDropFiles(context, settings);
        var signer = new OpenPgpDetachedSigner();
        var work = Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "sign", context.Step.Id);
        using var home = await GnuPgHome.CopyAsync(keyring, cancellationToken).ConfigureAwait(false);
        var key = new OpenPgpSigningKey(home.Path, settings.KeyId, passphrase);
        var made = new List<string>();
        Directory.CreateDirectory(work);
        foreach (var artifact in chosen)
        {
            // A verified copy: the signature covers exactly the bytes the ledger recorded.
            var copy = Path.Combine(work, DependencyArtifacts.FileName(artifact));
            await using (var source = await artifacts.OpenReadAsync(artifact.Ring, artifact.Entry.Name, cancellationToken).ConfigureAwait(false))
            await using (var target = File.Create(copy))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }

            made.Add(await SignOneAsync(signer, key, copy, SignatureName(artifact.Entry.Name), artifacts, context.Step.Id, cancellationToken).ConfigureAwait(false));
            File.Delete(copy);
        }

        foreach (var dropPath in dropFiles)
        {
            made.Add(await SignOneAsync(signer, key, Path.Combine(context.DropPath, dropPath), SignatureName(Path.GetFileName(dropPath)), artifacts, context.Step.Id, cancellationToken).ConfigureAwait(false));
        }

        return StepOutcome.Succeeded($"{made.Count} signature(s) by key {settings.KeyId}, each verified with gpg")
            .WithOutput(new StagedArtifacts(made), RingsSettingsJsonContext.Default.StagedArtifacts);
    }

    public static string SignatureName(string name) => OpenPgpDetachedSigner.SignatureFileNameFor(name);

    private static async Task<string> SignOneAsync(OpenPgpDetachedSigner signer, OpenPgpSigningKey key, string filePath, string signatureName, ArtifactArea artifacts, string stepId, CancellationToken cancellationToken)
    {
        var signaturePath = filePath + ".asc.partial";
        await using (var signature = File.Create(signaturePath))
        {
            await signer.SignAsync(key, filePath, signature, cancellationToken).ConfigureAwait(false);
        }

        var verification = await signer.VerifyAsync(key.KeyringFolder, filePath, signaturePath, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            throw new ReleaseException(ExitCode.Failed, $"step '{stepId}': the signature gpg made for {Path.GetFileName(filePath)} does not verify ({verification.Diagnostics}); nothing was recorded. Check the key {key.KeyId}");
        }

        await artifacts.WriteFileAsync(signatureName, signaturePath, cancellationToken).ConfigureAwait(false);
        File.Delete(signaturePath);
        return signatureName;
    }

    private static IReadOnlyList<RecordedArtifact> ChooseArtifacts(StepContext context, SignSettings settings)
    {
        var all = DependencyArtifacts.Of(context);
        if (settings.Artifacts is null)
        {
            return all;
        }

        var chosen = new List<RecordedArtifact>();
        foreach (var pattern in settings.Artifacts)
        {
            var glob = new DropGlob(pattern);
            var matched = all.Where(a => glob.IsMatch(a.Entry.Name)).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.artifacts '{pattern}' of step '{context.Step.Id}' matches no artifact of the steps it depends on ({(all.Count == 0 ? "none" : string.Join(", ", all.Select(a => a.Entry.Name)))}); fix the pattern or dependsOn");
            }

            chosen.AddRange(matched.Where(m => !chosen.Contains(m)));
        }

        return chosen;
    }

    private static IReadOnlyList<string> ChooseDropFiles(StepContext context, SignSettings settings)
    {
        var assets = context.Contract?.Contract.Assets ?? [];
        var chosen = new List<string>();
        foreach (var pattern in settings.DropFiles ?? [])
        {
            var glob = new DropGlob(pattern);
            var matched = assets.Where(a => glob.IsMatch(a.DropPath)).Select(a => a.DropPath).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.dropFiles '{pattern}' of step '{context.Step.Id}' matches no drop path in the contract; fix the pattern");
            }

            chosen.AddRange(matched.Where(m => !chosen.Contains(m)));
        }

        return chosen;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
