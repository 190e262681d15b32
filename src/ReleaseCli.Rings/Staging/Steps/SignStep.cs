using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Security;
using ReleaseCli.Core.Signing;
using Microsoft.Extensions.Logging;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// Signs chosen artifacts of the steps it depends on and chosen drop files. By default GnuPG signs here: a detached,
/// armored OpenPGP signature (<c>&lt;file&gt;.asc</c>) of each file, and a Debian package from the drop gets an origin
/// signature with debsigs in a copy that becomes the artifact. With <c>"signer": "service"</c> the files go to the
/// external signing service in one request, recorded in the ledger the moment it is accepted, so a re-run polls it
/// and never submits twice. Every signature, made here or downloaded, is checked with gpg before it is recorded, so a
/// wrong key or a broken signature never becomes an artifact. The keyring folder is copied to a private working copy
/// (gpg writes into its home folder); the passphrase and the service's token are read from the environment only.
/// </summary>
public sealed partial class SignStep(SecretMasker? masker, ISigningServiceClientFactory? signingServices = null) : RingStep<SignSettings>(Descriptor, RingsSettingsJsonContext.Default.SignSettings)
{
    public const string StepKind = "sign";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "signs artifacts and drop files (detached OpenPGP .asc, Debian origin signatures) with gpg here or through a signing service, each verified with gpg before it is recorded",
        Rings: [RingName.Stage],
        sp => new SignStep((SecretMasker?)sp.GetService(typeof(SecretMasker)), (ISigningServiceClientFactory?)sp.GetService(typeof(ISigningServiceClientFactory))));

    protected override IEnumerable<(string Key, string Message)> Validate(SignSettings settings)
    {
        var service = settings.SignerKind() == SignerKind.Service;
        if (string.IsNullOrWhiteSpace(settings.Keyring))
        {
            yield return ("keyring", service
                ? "name the GnuPG home folder holding the public key the service's signatures must verify against, relative to release.json."
                : "name the GnuPG home folder that holds the signing key, relative to release.json.");
        }

        if (service)
        {
            if (settings.Service is null)
            {
                yield return ("service", "give the signing service, e.g. { \"url\": \"https://sign.example.org/api\", \"tokenVariable\": \"SIGNING_SERVICE_TOKEN\" }.");
            }

            foreach (var error in settings.Service?.Validate("service.") ?? [])
            {
                yield return error;
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(settings.KeyId))
            {
                yield return ("keyId", "give the signing key's id or fingerprint.");
            }

            if (settings.PassphraseVariable is null || !EnvironmentName().IsMatch(settings.PassphraseVariable))
            {
                yield return ("passphraseVariable", "give the name of the environment variable that holds the passphrase (letters, digits and '_'), never the passphrase itself.");
            }

            if (settings.Service is not null)
            {
                yield return ("service", "is used only with \"signer\": \"service\"; add that, or remove service.");
            }
        }

        if (settings.Artifacts is { Count: 0 } && settings.DropFiles is null or { Count: 0 })
        {
            yield return ("artifacts", "the step would sign nothing; list artifact globs, or leave 'artifacts' out to sign every artifact of the steps it depends on.");
        }
    }

    protected override Task<string> ComputeInputDigestAsync(StepContext context, SignSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { signer = settings.SignerKind().ToString(), settings.Keyring, settings.KeyId, service = settings.Service?.Url, settings.Artifacts, settings.DropFiles }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, SignSettings settings, CancellationToken cancellationToken)
    {
        var keyring = context.Definition.ResolvePath(settings.Keyring);
        if (!Directory.Exists(keyring))
        {
            throw ReleaseException.Usage($"the keyring folder {keyring} of step '{context.Step.Id}' (settings.keyring) does not exist");
        }

        var subjects = Choose(context, settings);
        var work = Path.Combine(context.Store.GetWorkingDirectory(context.Definition.ReleaseId), "sign", context.Step.Id);
        Directory.CreateDirectory(work);
        return settings.SignerKind() == SignerKind.Service
            ? await SignWithServiceAsync(context, settings, keyring, subjects, work, cancellationToken).ConfigureAwait(false)
            : await SignWithGpgAsync(context, settings, keyring, subjects, work, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepOutcome> SignWithGpgAsync(StepContext context, SignSettings settings, string keyring, IReadOnlyList<SigningSubject> subjects, string work, CancellationToken cancellationToken)
    {
        var passphrase = Environment.GetEnvironmentVariable(settings.PassphraseVariable!);
        if (string.IsNullOrEmpty(passphrase))
        {
            throw ReleaseException.Usage($"step '{context.Step.Id}' needs the passphrase of key {settings.KeyId} in the environment variable {settings.PassphraseVariable} (settings.passphraseVariable); set it and run the ring again");
        }

        masker?.Register(passphrase);
        var artifacts = context.RequireArtifacts();
        var signer = new OpenPgpDetachedSigner();
        using var home = await GnuPgHome.CopyAsync(keyring, cancellationToken).ConfigureAwait(false);
        var key = new OpenPgpSigningKey(home.Path, settings.KeyId!, passphrase);
        var made = new List<string>();
        foreach (var subject in subjects)
        {
            if (subject.IsDebianPackage)
            {
                made.Add(await SignDebianPackageAsync(key, subject, work, artifacts, context, cancellationToken).ConfigureAwait(false));
                continue;
            }

            var path = await subject.LocalPathAsync(work, artifacts, context.DropPath, cancellationToken).ConfigureAwait(false);
            made.Add(await SignOneAsync(signer, key, path, subject.SignatureName, artifacts, context.Step.Id, cancellationToken).ConfigureAwait(false));
            subject.Release(path);
        }

        return StepOutcome.Succeeded($"{made.Count} signature(s) by key {settings.KeyId}, each verified with gpg")
            .WithOutput(new StagedArtifacts(made), RingsSettingsJsonContext.Default.StagedArtifacts);
    }

    /// <summary>A copy of the drop's package gets the origin signature (the drop is never edited) and becomes the artifact once gpg accepts it.</summary>
    private static async Task<string> SignDebianPackageAsync(OpenPgpSigningKey key, SigningSubject subject, string work, ArtifactArea artifacts, StepContext context, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(work, subject.FileName);
        File.Copy(Path.Combine(context.DropPath, subject.DropPath!), copy, overwrite: true);
        var signer = new DebianPackageSigner();
        await signer.SignAsync(key, copy, cancellationToken).ConfigureAwait(false);
        var verification = await signer.VerifyAsync(key.KeyringFolder, copy, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            File.Delete(copy);
            throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}': the origin signature debsigs made in {subject.FileName} does not verify ({verification.Diagnostics}); nothing was recorded. Check the key {key.KeyId}");
        }

        await artifacts.WriteFileAsync(subject.FileName, copy, cancellationToken).ConfigureAwait(false);
        File.Delete(copy);
        return subject.FileName;
    }

    private async Task<StepOutcome> SignWithServiceAsync(StepContext context, SignSettings settings, string keyring, IReadOnlyList<SigningSubject> subjects, string work, CancellationToken cancellationToken)
    {
        var service = settings.Service!;
        var client = (signingServices ?? throw new InvalidOperationException("the signing service client is not registered")).Create(service);
        var artifacts = context.RequireArtifacts();
        var duplicate = subjects.GroupBy(s => s.FileName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw ReleaseException.Usage($"step '{context.Step.Id}' would send two files named {duplicate.Key} to the signing service; narrow settings.artifacts or settings.dropFiles");
        }

        if (context.ExternalRun() is not { } request)
        {
            var paths = new List<string>();
            try
            {
                foreach (var subject in subjects)
                {
                    paths.Add(await subject.LocalPathAsync(work, artifacts, context.DropPath, cancellationToken).ConfigureAwait(false));
                }

                var id = await client.SubmitAsync(new SignRequest(SignatureKinds.OpenPgpDetached, [.. subjects.Select((s, i) => new SignRequestFile(s.FileName, paths[i]))]), cancellationToken).ConfigureAwait(false);
                await context.RecordExternalRunAsync(new ExternalRunEntry(id, Link: new Uri(service.BaseAddress(), $"sign-requests/{Uri.EscapeDataString(id)}").AbsoluteUri), cancellationToken).ConfigureAwait(false);
                context.Logger.LogInformation("{Step}: sign request {Id} submitted to {Service} ({Count} file(s))", context.Step.Id, id, client.Description, subjects.Count);
                return StepOutcome.Pending($"sign request {id} submitted ({subjects.Count} file(s))");
            }
            finally
            {
                for (var i = 0; i < paths.Count; i++)
                {
                    subjects[i].Release(paths[i]);
                }
            }
        }

        var status = await client.GetStatusAsync(request.Id, cancellationToken).ConfigureAwait(false);
        var said = string.IsNullOrWhiteSpace(status.Message) ? string.Empty : $": {status.Message}";
        switch (status.State)
        {
            case SignRequestState.InProgress:
                return StepOutcome.Pending($"sign request {request.Id} in progress{said}");
            case SignRequestState.Failed:
                return StepOutcome.Failed($"the signing service failed sign request {request.Id}{(said.Length == 0 ? " without a reason" : said)}; fix what it says and run the ring again, which submits a new request");
        }

        using var home = await GnuPgHome.CopyAsync(keyring, cancellationToken).ConfigureAwait(false);
        var verifier = new OpenPgpDetachedSigner();
        var made = new List<string>();
        foreach (var subject in subjects)
        {
            var expected = OpenPgpDetachedSigner.SignatureFileNameFor(subject.FileName);
            var signed = status.Files.FirstOrDefault(f => f.Name == expected)
                ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}': sign request {request.Id} succeeded but returned no {expected} for {subject.FileName} (it returned {string.Join(", ", status.Files.Select(f => f.Name))}); nothing was recorded for it");
            var signaturePath = Path.Combine(work, expected + ".partial");
            await client.DownloadAsync(signed, signaturePath, cancellationToken).ConfigureAwait(false);
            var path = await subject.LocalPathAsync(work, artifacts, context.DropPath, cancellationToken).ConfigureAwait(false);
            var verification = await verifier.VerifyAsync(home.Path, path, signaturePath, cancellationToken).ConfigureAwait(false);
            subject.Release(path);
            if (!verification.IsValid)
            {
                File.Delete(signaturePath);
                throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}': the signature the signing service returned for {subject.FileName} (sign request {request.Id}) does not verify with gpg against the keys in {settings.Keyring} ({verification.Diagnostics}); nothing was recorded for it. Check that settings.keyring holds the service's public key");
            }

            await artifacts.WriteFileAsync(subject.SignatureName, signaturePath, cancellationToken).ConfigureAwait(false);
            File.Delete(signaturePath);
            made.Add(subject.SignatureName);
        }

        return StepOutcome.Succeeded($"{made.Count} signature(s) from sign request {request.Id}, each verified with gpg")
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

    /// <summary>What the settings choose: artifacts of the steps it depends on, then drop files, each once.</summary>
    private static IReadOnlyList<SigningSubject> Choose(StepContext context, SignSettings settings)
    {
        var all = DependencyArtifacts.Of(context);
        var artifacts = settings.Artifacts is null ? [.. all] : new List<RecordedArtifact>();
        foreach (var pattern in settings.Artifacts ?? [])
        {
            var glob = new DropGlob(pattern);
            var matched = all.Where(a => glob.IsMatch(a.Entry.Name)).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.artifacts '{pattern}' of step '{context.Step.Id}' matches no artifact of the steps it depends on ({(all.Count == 0 ? "none" : string.Join(", ", all.Select(a => a.Entry.Name)))}); fix the pattern or dependsOn");
            }

            artifacts.AddRange(matched.Where(m => !artifacts.Contains(m)));
        }

        var assets = context.Contract?.Contract.Assets ?? [];
        var dropFiles = new List<string>();
        foreach (var pattern in settings.DropFiles ?? [])
        {
            var glob = new DropGlob(pattern);
            var matched = assets.Where(a => glob.IsMatch(a.DropPath)).Select(a => a.DropPath).ToList();
            if (matched.Count == 0)
            {
                throw ReleaseException.Usage($"settings.dropFiles '{pattern}' of step '{context.Step.Id}' matches no drop path in the contract; fix the pattern");
            }

            dropFiles.AddRange(matched.Where(m => !dropFiles.Contains(m)));
        }

        var gpg = settings.SignerKind() == SignerKind.Gpg;
        return
        [
            .. artifacts.Select(a => new SigningSubject(DependencyArtifacts.FileName(a), SignatureName(a.Entry.Name), a, null, false)),
            .. dropFiles.Select(d => new SigningSubject(Path.GetFileName(d), SignatureName(Path.GetFileName(d)), null, d, gpg && DebianPackageSigner.IsDebianPackage(d))),
        ];
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
