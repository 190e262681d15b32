using System.Runtime.Versioning;
using ReleaseCli.Core;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

/// <summary>Signs with a throwaway key made by real gpg in a temporary GnuPG home.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class OpenPgpDetachedSignerTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private readonly TestDirectory _directory = new();
    private readonly OpenPgpDetachedSigner _signer = new();
    private string _keyring = "";
    private string _fingerprint = "";

    public async Task InitializeAsync()
    {
        _keyring = Directory.CreateDirectory(_directory.Combine("gnupg")).FullName;
        File.SetUnixFileMode(_keyring, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var generate = await ExternalTool.RunAsync("gpg",
            ["--homedir", _keyring, "--batch", "--pinentry-mode", "loopback", "--passphrase", Passphrase,
             "--quick-gen-key", "Release Signing Test <release-test@example.org>", "ed25519", "sign", "never"]);
        Assert.True(generate.ExitCode == 0, generate.Error);
        var keys = await ExternalTool.RunAsync("gpg", ["--homedir", _keyring, "--batch", "--with-colons", "--list-secret-keys"]);
        _fingerprint = keys.Output.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    public async Task DisposeAsync()
    {
        // gpg started an agent for this home; stop it before the folder goes.
        await ExternalTool.RunAsync("gpgconf", ["--homedir", _keyring, "--kill", "gpg-agent"]);
        _directory.Dispose();
    }

    [Fact]
    public async Task ASignatureMadeWithTheKeyVerifiesAndNamesTheKey()
    {
        var file = _directory.Combine("dotnet-sdk-linux-x64.tar.gz");
        await File.WriteAllTextAsync(file, "tarball bytes");
        var signature = _directory.Combine(OpenPgpDetachedSigner.SignatureFileNameFor("dotnet-sdk-linux-x64.tar.gz"));

        await using (var destination = File.Create(signature))
        {
            await _signer.SignAsync(new OpenPgpSigningKey(_keyring, _fingerprint, Passphrase), file, destination, CancellationToken.None);
        }

        Assert.StartsWith("-----BEGIN PGP SIGNATURE-----", await File.ReadAllTextAsync(signature), StringComparison.Ordinal);
        var verification = await _signer.VerifyAsync(_keyring, file, signature, CancellationToken.None);
        Assert.True(verification.IsValid, verification.Diagnostics);
        Assert.Equal(_fingerprint, verification.SignerFingerprint);
        var byGpg = await ExternalTool.RunAsync("gpg", ["--homedir", _keyring, "--batch", "--verify", signature, file]);
        Assert.True(byGpg.ExitCode == 0, byGpg.Error);
        Assert.Contains("Good signature from \"Release Signing Test", byGpg.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChangedFileNoLongerVerifies()
    {
        var file = _directory.Combine("notes.md");
        await File.WriteAllTextAsync(file, "release notes");
        var signature = _directory.Combine("notes.md.asc");
        await using (var destination = File.Create(signature))
        {
            await _signer.SignAsync(new OpenPgpSigningKey(_keyring, _fingerprint, Passphrase), file, destination, CancellationToken.None);
        }

        await File.AppendAllTextAsync(file, " tampered");
        var verification = await _signer.VerifyAsync(_keyring, file, signature, CancellationToken.None);

        Assert.False(verification.IsValid);
        Assert.Null(verification.SignerFingerprint);
        Assert.Contains("BAD signature", verification.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPassphraseFailsNamingTheKeyAndWritesNothing()
    {
        var file = _directory.Combine("file.txt");
        await File.WriteAllTextAsync(file, "content");
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsAsync<ReleaseException>(() => _signer.SignAsync(
            new OpenPgpSigningKey(_keyring, _fingerprint, "wrong passphrase"), file, destination, CancellationToken.None));

        Assert.Contains($"with key {_fingerprint}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong passphrase", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public void ThePassphraseNeverAppearsWhenTheKeyIsPrinted()
    {
        var key = new OpenPgpSigningKey("/keys", "ABCDEF", "s3cret");

        Assert.Equal("OpenPgpSigningKey { KeyringFolder = /keys, KeyId = ABCDEF, Passphrase = *** }", key.ToString());
    }
}
