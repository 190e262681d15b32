using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>
/// Every <c>.asc</c> must verify with gpg against the file it signs (an artifact of this ring or a drop file), and
/// every signed Debian package must carry an origin signature gpg accepts over its members.
/// </summary>
public sealed class SignatureArtifactCheck : IStagedArtifactCheck
{
    public string StepKind => SignStep.StepKind;

    public async Task<IReadOnlyList<string>> CheckAsync(StagedArtifactScope scope, RecordedArtifact artifact, CancellationToken cancellationToken)
    {
        var settings = scope.SettingsOf(artifact, RingsSettingsJsonContext.Default.SignSettings);
        if (DebianPackageSigner.IsDebianPackage(artifact.Entry.Name))
        {
            return await CheckDebianPackageAsync(scope, artifact, settings, cancellationToken).ConfigureAwait(false);
        }

        var signedName = artifact.Entry.Name[..^".asc".Length];
        var work = Directory.CreateTempSubdirectory("release-verify-").FullName;
        try
        {
            string signedPath;
            if (scope.Artifacts.FirstOrDefault(a => a.Entry.Name == signedName) is { } signedArtifact)
            {
                signedPath = Path.Combine(work, Path.GetFileName(signedName));
                await File.WriteAllBytesAsync(signedPath, await scope.ReadAsync(signedArtifact, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            else if (scope.Contract.Assets.FirstOrDefault(a => Path.GetFileName(a.DropPath) == signedName) is { } asset)
            {
                signedPath = Path.Combine(scope.Context.DropPath, asset.DropPath);
            }
            else
            {
                return [$"it signs '{signedName}', which is neither an artifact of this ring nor a drop file"];
            }

            var signaturePath = Path.Combine(work, "signature.asc");
            await File.WriteAllBytesAsync(signaturePath, await scope.ReadAsync(artifact, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            using var home = await GnuPgHome.CopyAsync(scope.Context.Definition.ResolvePath(settings.Keyring), cancellationToken).ConfigureAwait(false);
            var verification = await new OpenPgpDetachedSigner().VerifyAsync(home.Path, signedPath, signaturePath, cancellationToken).ConfigureAwait(false);
            return verification.IsValid ? [] : [$"gpg --verify does not accept it as a signature of '{signedName}': {verification.Diagnostics}"];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> CheckDebianPackageAsync(StagedArtifactScope scope, RecordedArtifact artifact, SignSettings settings, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("release-verify-").FullName;
        try
        {
            var package = Path.Combine(work, Path.GetFileName(artifact.Entry.Name));
            await File.WriteAllBytesAsync(package, await scope.ReadAsync(artifact, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            using var home = await GnuPgHome.CopyAsync(scope.Context.Definition.ResolvePath(settings.Keyring), cancellationToken).ConfigureAwait(false);
            var verification = await new DebianPackageSigner().VerifyAsync(home.Path, package, cancellationToken).ConfigureAwait(false);
            return verification.IsValid ? [] : [$"its origin signature does not verify with gpg: {verification.Diagnostics}"];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
