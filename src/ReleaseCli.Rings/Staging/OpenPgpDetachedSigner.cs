using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Makes and checks armored detached OpenPGP signatures of release files with GnuPG, the tool
/// Linux distributions and users verify them with. The passphrase goes to gpg on standard input
/// (never on the command line, where other users of the machine could read it).
/// </summary>
public sealed class OpenPgpDetachedSigner(string gpgExecutable = "gpg")
{
    /// <summary>The name of the armored signature published beside <paramref name="fileName"/>.</summary>
    public static string SignatureFileNameFor(string fileName) => fileName + ".asc";

    /// <summary>Signs the file at <paramref name="filePath"/> and writes the armored signature into <paramref name="signatureDestination"/>.</summary>
    public async Task SignAsync(OpenPgpSigningKey key, string filePath, Stream signatureDestination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signatureDestination);
        if (!File.Exists(filePath))
        {
            throw ReleaseException.Usage($"Cannot sign '{filePath}': the file does not exist.");
        }

        using var signature = new MemoryStream();
        var result = await RunAsync(
            ["--homedir", key.KeyringFolder, "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0",
             "--local-user", key.KeyId, "--armor", "--detach-sign", "--output", "-", filePath],
            key.Passphrase + "\n", signature, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || signature.Length == 0)
        {
            throw ReleaseException.Usage(
                $"gpg could not sign '{filePath}' with key {key.KeyId} from '{key.KeyringFolder}' (exit code {result.ExitCode}); " +
                $"check the key id and its passphrase. gpg said: {result.Error.Trim()}");
        }

        // Only a complete signature reaches the destination: a failed run leaves nothing half-written.
        signature.Position = 0;
        await signature.CopyToAsync(signatureDestination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a detached signature against the public keys in <paramref name="keyringFolder"/>.</summary>
    public async Task<OpenPgpVerification> VerifyAsync(string keyringFolder, string filePath, string signaturePath, CancellationToken cancellationToken)
    {
        using var status = new MemoryStream();
        var result = await RunAsync(
            ["--homedir", keyringFolder, "--batch", "--status-fd", "1", "--verify", signaturePath, filePath],
            standardInput: null, status, cancellationToken).ConfigureAwait(false);
        var statusLines = System.Text.Encoding.UTF8.GetString(status.ToArray()).Split('\n');
        // "[GNUPG:] VALIDSIG <fingerprint> …" is gpg's machine-readable word for a good signature.
        var fingerprint = statusLines
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length >= 3 && f[0] == "[GNUPG:]" && f[1] == "VALIDSIG")?[2];
        return new OpenPgpVerification(result.ExitCode == 0 && fingerprint is not null, fingerprint, result.Error.Trim());
    }

    private Task<(int ExitCode, string Error)> RunAsync(IReadOnlyList<string> arguments, string? standardInput, Stream standardOutput, CancellationToken cancellationToken) =>
        RedirectedProcess.RunAsync(gpgExecutable, arguments, standardInput, standardOutput, cancellationToken, installHint: "install GnuPG (apt-get install gnupg) or name its path");
}
