using System.Text;
using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// Signs Debian packages with an origin signature (<c>debsigs --sign=origin</c>: an <c>_gpgorigin</c> member holding a
/// detached OpenPGP signature of <c>debian-binary</c>, <c>control.tar.*</c> and <c>data.tar.*</c> concatenated), and
/// checks one independently of debsigs: those members are read back with <c>ar</c> and the signature is checked over
/// them with <c>gpg --verify</c>, which is what <c>debsig-verify</c> checks before it applies a policy.
/// debsigs runs gpg without a terminal, so the key's passphrase is preset in the agent of the private GnuPG home
/// (read from standard input by <c>gpg-preset-passphrase</c>, never on a command line).
/// </summary>
public sealed class DebianPackageSigner
{
    public const string OriginMember = "_gpgorigin";

    /// <summary>Whether a file is a Debian binary package, by its name.</summary>
    public static bool IsDebianPackage(string fileName) => fileName.EndsWith(".deb", StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds an origin signature to the package at <paramref name="packagePath"/> (a copy the caller owns; it is rewritten).</summary>
    public async Task SignAsync(OpenPgpSigningKey key, string packagePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await PresetPassphraseAsync(key, cancellationToken).ConfigureAwait(false);
        using var output = new MemoryStream();
        var (exitCode, error) = await RedirectedProcess.RunAsync(
            "debsigs",
            ["--sign=origin", $"--default-key={key.KeyId}", packagePath],
            standardInput: null,
            output,
            cancellationToken,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["GNUPGHOME"] = key.KeyringFolder },
            installHint: "install debsigs (apt-get install debsigs)").ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw ReleaseException.Usage($"debsigs could not sign '{Path.GetFileName(packagePath)}' with key {key.KeyId} (exit code {exitCode}); check the key id and its passphrase. debsigs said: {(error + Encoding.UTF8.GetString(output.ToArray())).Trim()}");
        }
    }

    /// <summary>Checks the package's origin signature against the public keys in <paramref name="keyringFolder"/>.</summary>
    public async Task<OpenPgpVerification> VerifyAsync(string keyringFolder, string packagePath, CancellationToken cancellationToken)
    {
        var members = (await ArAsync(["t", packagePath], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!members.Contains(OriginMember, StringComparer.Ordinal))
        {
            return new OpenPgpVerification(false, null, $"it has no origin signature (no {OriginMember} member; it holds {string.Join(", ", members)})");
        }

        var signed = new[]
        {
            members.FirstOrDefault(m => m == "debian-binary"),
            members.FirstOrDefault(m => m.StartsWith("control.tar", StringComparison.Ordinal)),
            members.FirstOrDefault(m => m.StartsWith("data.tar", StringComparison.Ordinal)),
        };
        if (signed.Any(m => m is null))
        {
            return new OpenPgpVerification(false, null, $"it is not a Debian binary package (members: {string.Join(", ", members)})");
        }

        var work = Directory.CreateTempSubdirectory("release-deb-").FullName;
        try
        {
            var content = Path.Combine(work, "signed-content");
            await using (var target = File.Create(content))
            {
                foreach (var member in signed)
                {
                    await ExtractAsync(packagePath, member!, target, cancellationToken).ConfigureAwait(false);
                }
            }

            var signature = Path.Combine(work, OriginMember);
            await using (var target = File.Create(signature))
            {
                await ExtractAsync(packagePath, OriginMember, target, cancellationToken).ConfigureAwait(false);
            }

            return await new OpenPgpDetachedSigner().VerifyAsync(keyringFolder, content, signature, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task ExtractAsync(string packagePath, string member, Stream target, CancellationToken cancellationToken)
    {
        var (exitCode, error) = await RedirectedProcess.RunAsync("ar", ["p", packagePath, member], null, target, cancellationToken, installHint: "install binutils (apt-get install binutils)").ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new ReleaseException(ExitCode.Failed, $"ar could not read {member} of '{Path.GetFileName(packagePath)}': {error.Trim()}");
        }
    }

    private static async Task<string> ArAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        var (exitCode, error) = await RedirectedProcess.RunAsync("ar", arguments, null, output, cancellationToken, installHint: "install binutils (apt-get install binutils)").ConfigureAwait(false);
        return exitCode == 0
            ? Encoding.UTF8.GetString(output.ToArray())
            : throw new ReleaseException(ExitCode.Failed, $"ar could not read '{arguments[^1]}' as an archive: {error.Trim()}");
    }

    /// <summary>Lets the agent of the private home accept a preset passphrase, then presets it for each of the key's keygrips.</summary>
    private static async Task PresetPassphraseAsync(OpenPgpSigningKey key, CancellationToken cancellationToken)
    {
        var home = key.KeyringFolder;
        await File.AppendAllTextAsync(Path.Combine(home, "gpg-agent.conf"), "allow-preset-passphrase\n", cancellationToken).ConfigureAwait(false);
        await ToolOutputAsync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"], null, home, cancellationToken).ConfigureAwait(false);
        await ToolOutputAsync("gpg-connect-agent", ["--homedir", home, "/bye"], null, home, cancellationToken).ConfigureAwait(false);
        var listing = await ToolOutputAsync("gpg", ["--homedir", home, "--batch", "--with-colons", "--with-keygrip", "--list-secret-keys", key.KeyId], null, home, cancellationToken).ConfigureAwait(false);
        var keygrips = listing.Split('\n').Select(l => l.Split(':')).Where(f => f.Length > 9 && f[0] == "grp").Select(f => f[9]).ToList();
        if (keygrips.Count == 0)
        {
            throw ReleaseException.Usage($"the keyring has no secret key {key.KeyId} to sign Debian packages with; check settings.keyId");
        }

        var libexec = (await ToolOutputAsync("gpgconf", ["--list-dirs", "libexecdir"], null, home, cancellationToken).ConfigureAwait(false)).Trim();
        foreach (var keygrip in keygrips)
        {
            await ToolOutputAsync(Path.Combine(libexec, "gpg-preset-passphrase"), ["--preset", keygrip], key.Passphrase + "\n", home, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> ToolOutputAsync(string program, IReadOnlyList<string> arguments, string? standardInput, string home, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        var (exitCode, error) = await RedirectedProcess.RunAsync(program, arguments, standardInput, output, cancellationToken,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["GNUPGHOME"] = home }, installHint: "install GnuPG (apt-get install gnupg)").ConfigureAwait(false);
        return exitCode == 0
            ? Encoding.UTF8.GetString(output.ToArray())
            : throw new ReleaseException(ExitCode.Failed, $"{Path.GetFileName(program)} {arguments[0]} failed (exit code {exitCode}): {error.Trim()}");
    }
}
