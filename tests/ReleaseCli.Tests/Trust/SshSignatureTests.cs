using System.Diagnostics;
using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Trust;
using ReleaseCli.Tests.Staging;

namespace ReleaseCli.Tests.Trust;

/// <summary>
/// SSHSIG signatures against the real OpenSSH tools, both ways: what <c>ssh-keygen -Y sign</c> makes verifies
/// in the tool, and what the tool makes (from a key file or through a real ssh-agent) verifies with <c>ssh-keygen -Y verify</c>.
/// </summary>
public sealed class SshSignatureTests(SshKeys keys) : IClassFixture<SshKeys>
{
    private const string Namespace = "release:dotnet-8.0.5";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [MemberData(nameof(SshKeys.Algorithms), MemberType = typeof(SshKeys))]
    public async Task A_signature_by_ssh_keygen_verifies_in_the_tool(string algorithm)
    {
        var key = await keys.KeyAsync(algorithm);
        var message = Path.Combine(keys.Folder, $"message-{algorithm}.txt");
        await File.WriteAllTextAsync(message, "{\"seq\":4,\"type\":\"Approved\",\"prev\":\"ab\"}");
        await SshKeys.RunAsync("ssh-keygen", ["-Y", "sign", "-f", key, "-n", Namespace, message]);
        var armored = await File.ReadAllTextAsync(message + ".sig");
        var allowed = AllowedSigners.Load(keys.AllowedSigners($"ada@example.com {SshKeys.PublicKeyText(key)}"));

        var verdict = allowed.Verify(armored, await File.ReadAllBytesAsync(message), "ada@example.com", Namespace, Now);

        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal(await FingerprintAsync(key), verdict.Key!.Fingerprint);
        // The tool writes the same armor ssh-keygen does.
        Assert.Equal(armored, SshSignature.Parse(armored).Armor());
    }

    [Theory]
    [MemberData(nameof(SshKeys.Algorithms), MemberType = typeof(SshKeys))]
    public async Task A_signature_by_the_tool_verifies_with_ssh_keygen(string algorithm)
    {
        var key = await keys.KeyAsync(algorithm);
        using var signer = SshPrivateKey.Load(key);
        var message = Encoding.UTF8.GetBytes($"line signed with {algorithm}\n");

        var signature = await SshSignature.SignAsync(signer, message, Namespace, CancellationToken.None);

        Assert.Equal(await FingerprintAsync(key), signer.PublicKey.Fingerprint);
        await AssertSshKeygenVerifiesAsync(signature.Armor(), message, $"ada@example.com {SshKeys.PublicKeyText(key)}");
    }

    [Fact]
    public async Task Keys_held_by_a_real_ssh_agent_sign_and_ssh_keygen_verifies()
    {
        var socket = Path.Combine(keys.Folder, $"agent-{Guid.NewGuid():N}"[..20]);
        var agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", socket]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            for (var i = 0; i < 100 && !File.Exists(socket); i++)
            {
                await Task.Delay(50);
            }

            foreach (var algorithm in new[] { "ed25519", "ecdsa-384", "rsa" })
            {
                var add = new ProcessStartInfo("ssh-add", ["-q", await keys.KeyAsync(algorithm, owner: "bo")]) { UseShellExecute = false, RedirectStandardError = true };
                add.Environment["SSH_AUTH_SOCK"] = socket;
                using var adding = Process.Start(add)!;
                await adding.WaitForExitAsync();
                Assert.Equal(0, adding.ExitCode);
            }

            var client = new SshAgentClient(socket);
            var held = await client.ListKeysAsync(CancellationToken.None);
            Assert.Equal(3, held.Count);
            foreach (var key in held)
            {
                var message = Encoding.UTF8.GetBytes($"signed by the agent with {key.PublicKey.KeyType}");
                var signature = await SshSignature.SignAsync(key, message, Namespace, CancellationToken.None);
                if (key.PublicKey.KeyType == SshKeyType.Rsa)
                {
                    // The agent was asked for SHA-512, not the SHA-1 "ssh-rsa" signature.
                    Assert.Contains("rsa-sha2-512", Encoding.ASCII.GetString(signature.SignatureBlob), StringComparison.Ordinal);
                }

                await AssertSshKeygenVerifiesAsync(signature.Armor(), message, $"bo@example.com {key.PublicKey.OpenSshText}");
            }
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
            agent.Dispose();
        }
    }

    [Fact]
    public async Task A_tampered_message_a_wrong_namespace_principal_or_key_and_a_namespaces_mismatch_all_refuse()
    {
        var key = await keys.KeyAsync("ed25519");
        var other = await keys.KeyAsync("ed25519", owner: "eve");
        using var signer = SshPrivateKey.Load(key);
        var message = Encoding.UTF8.GetBytes("{\"type\":\"Approved\",\"actor\":\"ada@example.com\"}");
        var armored = (await SshSignature.SignAsync(signer, message, Namespace, CancellationToken.None)).Armor();
        var allowed = AllowedSigners.Load(keys.AllowedSigners(
            "# the release team",
            $"ada@example.com {SshKeys.PublicKeyText(key)} ada's laptop",
            $"eve@example.com {SshKeys.PublicKeyText(other)}"));

        Assert.True(allowed.Verify(armored, message, "ada@example.com", Namespace, Now).Valid);
        var tampered = Encoding.UTF8.GetBytes("{\"type\":\"Approved\",\"actor\":\"ada@example.org\"}");
        Assert.Contains("does not match", allowed.Verify(armored, tampered, "ada@example.com", Namespace, Now).Problem, StringComparison.Ordinal);
        Assert.Contains("namespace 'release:dotnet-8.0.5', not 'release:other'", allowed.Verify(armored, message, "ada@example.com", "release:other", Now).Problem, StringComparison.Ordinal);
        Assert.Contains("allowed in", allowed.Verify(armored, message, "eve@example.com", Namespace, Now).Problem, StringComparison.Ordinal);

        var withoutAda = AllowedSigners.Load(keys.AllowedSigners($"eve@example.com {SshKeys.PublicKeyText(other)}"));
        Assert.Contains("is not in", withoutAda.Verify(armored, message, "ada@example.com", Namespace, Now).Problem, StringComparison.Ordinal);

        var otherNamespace = AllowedSigners.Load(keys.AllowedSigners($"ada@example.com namespaces=\"git,file\" {SshKeys.PublicKeyText(key)}"));
        Assert.Contains("only for namespaces git,file", otherNamespace.Verify(armored, message, "ada@example.com", Namespace, Now).Problem, StringComparison.Ordinal);
        var releases = AllowedSigners.Load(keys.AllowedSigners($"ada@example.com namespaces=\"release:*\" {SshKeys.PublicKeyText(key)}"));
        Assert.True(releases.Verify(armored, message, "ada@example.com", Namespace, Now).Valid);

        var expired = AllowedSigners.Load(keys.AllowedSigners($"ada@example.com valid-after=\"20200101\",valid-before=\"20210101Z\" {SshKeys.PublicKeyText(key)}"));
        Assert.Contains("only until", expired.Verify(armored, message, "ada@example.com", Namespace, Now).Problem, StringComparison.Ordinal);

        // ssh-keygen refuses the same signatures the tool refuses.
        var file = Path.Combine(keys.Folder, "refused.txt");
        await File.WriteAllBytesAsync(file, tampered);
        await File.WriteAllTextAsync(file + ".sig", armored);
        var verify = await ExternalTool.RunAsync("ssh-keygen", ["-Y", "verify", "-f", keys.AllowedSigners($"ada@example.com {SshKeys.PublicKeyText(key)}"), "-I", "ada@example.com", "-n", Namespace, "-s", file + ".sig"], standardInput: Encoding.UTF8.GetString(tampered));
        Assert.NotEqual(0, verify.ExitCode);
    }

    [Fact]
    public void Allowed_signers_read_principal_lists_wildcards_quotes_and_comments_and_refuse_cert_authorities()
    {
        const string ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv9wY5xKs0RZnwUHFkrjM8uYMCUNCMDB8C0NH7Uj0Tq";
        var signers = Parse($"""
            # comment

            "ada@example.com,bo@example.com" {ed25519} a comment
            *@ops.example.com,!mallory@ops.example.com namespaces="release:*,git" {ed25519}
            """);

        Assert.Equal(2, signers.Signers.Count);
        Assert.True(signers.Signers[0].Matches("bo@example.com"));
        Assert.True(signers.Signers[1].Matches("cy@ops.example.com"));
        Assert.False(signers.Signers[1].Matches("mallory@ops.example.com"));
        Assert.False(signers.Signers[1].Matches("cy@ops.example.com.evil"));
        Assert.Equal(["release:*", "git"], signers.Signers[1].Namespaces!);

        var certificate = Assert.Throws<ReleaseException>(() => Parse($"*@example.com cert-authority {ed25519}\n"));
        Assert.Equal(ExitCode.UsageError, certificate.ExitCode);
        Assert.Contains("team, line 1: cert-authority", certificate.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ReleaseException>(() => Parse("ada@example.com ssh-ed25519 AAAA\n"));
        Assert.Contains("line 1: its key cannot be read", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_signers_carry_the_digest_of_the_bytes_they_were_parsed_from()
    {
        var text = "ada@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv9wY5xKs0RZnwUHFkrjM8uYMCUNCMDB8C0NH7Uj0Tq\n";
        var withMark = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var signers = AllowedSigners.Parse("team", withMark);

        Assert.Equal("ada@example.com", Assert.Single(signers.Signers).Principals.Single());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(withMark)), signers.Digest);
        Assert.NotEqual(signers.Digest, Parse(text).Digest);
    }

    [Fact]
    public async Task An_encrypted_key_file_is_refused_with_advice_to_use_the_agent()
    {
        var key = await keys.KeyAsync("ed25519", owner: "cy", passphrase: "correct horse");

        var error = Assert.Throws<ReleaseException>(() => SshPrivateKey.Load(key));

        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains("ssh-add", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> FingerprintAsync(string keyPath)
    {
        var listed = await SshKeys.RunAsync("ssh-keygen", ["-l", "-E", "sha256", "-f", keyPath + ".pub"]);
        return listed.Output.Split(' ')[1];
    }

    private async Task AssertSshKeygenVerifiesAsync(string armored, byte[] message, string allowedLine)
    {
        var signature = Path.Combine(keys.Folder, $"sig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(signature, armored);
        var principal = allowedLine.Split(' ')[0];
        await SshKeys.RunAsync("ssh-keygen", ["-Y", "verify", "-f", keys.AllowedSigners(allowedLine), "-I", principal, "-n", Namespace, "-s", signature], Encoding.UTF8.GetString(message));
        var wrongNamespace = await ExternalTool.RunAsync("ssh-keygen", ["-Y", "verify", "-f", keys.AllowedSigners(allowedLine), "-I", principal, "-n", "git", "-s", signature], standardInput: Encoding.UTF8.GetString(message));
        Assert.NotEqual(0, wrongNamespace.ExitCode);
    }

    private static AllowedSigners Parse(string text) => AllowedSigners.Parse("team", Encoding.UTF8.GetBytes(text));
}
