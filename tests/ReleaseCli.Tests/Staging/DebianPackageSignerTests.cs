using System.Runtime.Versioning;
using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

/// <summary>Origin signatures on a real package built with dpkg-deb: made by debsigs, checked over the package's members with ar and gpg.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DebianPackageSignerTests
{
    [Fact]
    public async Task Debsigs_signs_a_copy_that_verifies_while_the_original_and_a_tampered_copy_do_not()
    {
        using var directory = new TestDirectory();
        var keyring = directory.Combine("keys");
        await StageRelease.MakeKeyAsync(keyring);
        var package = await BuildPackageAsync(directory, "contoso-app_1.0.0_all.deb");
        var copy = directory.Combine("signed.deb");
        File.Copy(package, copy);
        var original = await File.ReadAllBytesAsync(package);
        var signer = new DebianPackageSigner();

        using (var home = await global::ReleaseCli.Rings.Staging.Steps.GnuPgHome.CopyAsync(keyring, CancellationToken.None))
        {
            await signer.SignAsync(new OpenPgpSigningKey(home.Path, StageRelease.KeyUser, StageRelease.Passphrase), copy, CancellationToken.None);
        }

        var members = await ExternalTool.RunAsync("ar", ["t", copy]);
        Assert.Contains("_gpgorigin", members.Output, StringComparison.Ordinal);
        Assert.Equal(original, await File.ReadAllBytesAsync(package));
        Assert.True((await signer.VerifyAsync(keyring, copy, CancellationToken.None)).IsValid);
        var unsigned = await signer.VerifyAsync(keyring, package, CancellationToken.None);
        Assert.False(unsigned.IsValid);
        Assert.Contains("no origin signature", unsigned.Diagnostics, StringComparison.Ordinal);

        // Replace the data member with other content: the signature no longer covers what the package holds.
        var other = await BuildPackageAsync(directory, "other.deb", content: "changed");
        var work = Directory.CreateDirectory(directory.Combine("tamper")).FullName;
        var data = (await ExternalTool.RunAsync("ar", ["t", other])).Output.Split('\n').Single(m => m.StartsWith("data.tar", StringComparison.Ordinal));
        Assert.Equal(0, (await ExternalTool.RunAsync("ar", ["x", other, data], work)).ExitCode);
        Assert.Equal(0, (await ExternalTool.RunAsync("ar", ["r", copy, data], work)).ExitCode);
        Assert.False((await signer.VerifyAsync(keyring, copy, CancellationToken.None)).IsValid);
        await ExternalTool.RunAsync("gpgconf", ["--homedir", keyring, "--kill", "gpg-agent"]);
    }

    private static async Task<string> BuildPackageAsync(TestDirectory directory, string name, string content = "hello")
    {
        var root = directory.Combine("pkg-" + name);
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "share", "contoso"));
        await File.WriteAllTextAsync(Path.Combine(root, "DEBIAN", "control"), "Package: contoso-app\nVersion: 1.0.0\nArchitecture: all\nMaintainer: Contoso <release@contoso.example>\nDescription: the sample app\n");
        await File.WriteAllTextAsync(Path.Combine(root, "usr", "share", "contoso", "app.txt"), content);
        var output = directory.Combine(name);
        var built = await ExternalTool.RunAsync("dpkg-deb", ["--root-owner-group", "--build", root, output]);
        Assert.True(built.ExitCode == 0, built.Error);
        return output;
    }
}
