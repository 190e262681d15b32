using System.Security.Cryptography;
using System.Text;

namespace ReleaseCli.Core.Trust;

/// <summary>
/// An SSH signature in the SSHSIG format that <c>ssh-keygen -Y sign</c> writes and git uses for signed
/// commits: the signer's public key, a namespace that keeps a signature made for one purpose from being
/// accepted for another, and a signature over <c>"SSHSIG" ‖ namespace ‖ reserved ‖ hash algorithm ‖ H(message)</c>.
/// </summary>
public sealed record SshSignature(SshPublicKey PublicKey, string Namespace, string HashAlgorithm, byte[] SignatureBlob)
{
    private const string Begin = "-----BEGIN SSH SIGNATURE-----";
    private const string End = "-----END SSH SIGNATURE-----";
    private const int ArmorWidth = 70;
    private static readonly byte[] Magic = "SSHSIG"u8.ToArray();

    /// <summary>Signs <paramref name="message"/> under <paramref name="namespace"/> with SHA-512, as ssh-keygen does.</summary>
    public static async Task<SshSignature> SignAsync(ISshSigner signer, ReadOnlyMemory<byte> message, string @namespace, CancellationToken cancellationToken)
    {
        const string hashAlgorithm = "sha512";
        var blob = await signer.SignAsync(SignedData(@namespace, hashAlgorithm, message.Span), cancellationToken).ConfigureAwait(false);
        var signature = new SshSignature(signer.PublicKey, @namespace, hashAlgorithm, blob);
        // A key that signs with another key than it claims (a confused agent) is caught here, not by a reader later.
        return signature.Verify(message.Span, out var problem)
            ? signature
            : throw ReleaseException.Usage($"The key {signer.Source} ({signer.PublicKey.Fingerprint}) made a signature that does not verify: {problem}.");
    }

    /// <summary>Parses the armored text; <see cref="FormatException"/> says what is wrong.</summary>
    public static SshSignature Parse(string armored)
    {
        var reader = new SshWireReader(SshArmor.Open(armored, "SSH SIGNATURE", Magic, "an SSH signature (SSHSIG)"));
        var version = reader.ReadUInt32();
        if (version != 1)
        {
            throw new FormatException($"its version is {version}, and only version 1 exists");
        }

        var publicKey = SshPublicKey.FromBlob(reader.ReadString());
        var @namespace = reader.ReadText();
        reader.ReadString();
        var hashAlgorithm = reader.ReadText();
        var blob = reader.ReadString().ToArray();
        if (!reader.AtEnd)
        {
            throw new FormatException("it has bytes after its end");
        }

        return new SshSignature(publicKey, @namespace, hashAlgorithm, blob);
    }

    /// <summary>The armored text, as ssh-keygen writes it: base64 in lines of 70, newline-terminated.</summary>
    public string Armor()
    {
        var body = Convert.ToBase64String(new SshWireWriter()
            .Raw(Magic)
            .UInt32(1)
            .String(PublicKey.Blob)
            .String(Namespace)
            .String(ReadOnlySpan<byte>.Empty)
            .String(HashAlgorithm)
            .String(SignatureBlob)
            .ToArray());
        var armored = new StringBuilder(Begin).Append('\n');
        for (var at = 0; at < body.Length; at += ArmorWidth)
        {
            armored.Append(body, at, Math.Min(ArmorWidth, body.Length - at)).Append('\n');
        }

        return armored.Append(End).Append('\n').ToString();
    }

    /// <summary>Checks the signature over <paramref name="message"/> with the key it names (who that key belongs to is the allowed signers' question).</summary>
    public bool Verify(ReadOnlySpan<byte> message, out string? problem)
    {
        if (HashAlgorithm is not ("sha512" or "sha256"))
        {
            problem = $"its hash algorithm '{HashAlgorithm}' is not sha512 or sha256";
            return false;
        }

        return PublicKey.Verify(SignedData(Namespace, HashAlgorithm, message), SignatureBlob, out problem);
    }

    /// <summary>What the key actually signs: the magic, the namespace, an empty reserved field, the hash algorithm and the message's hash.</summary>
    internal static byte[] SignedData(string @namespace, string hashAlgorithm, ReadOnlySpan<byte> message)
    {
        var hash = hashAlgorithm == "sha256" ? SHA256.HashData(message) : SHA512.HashData(message);
        return new SshWireWriter()
            .Raw(Magic)
            .String(@namespace)
            .String(ReadOnlySpan<byte>.Empty)
            .String(hashAlgorithm)
            .String(hash)
            .ToArray();
    }
}
