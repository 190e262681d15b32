using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace ReleaseCli.Core.Trust;

/// <summary>
/// An SSH public key (ed25519, ECDSA on nistp256/384/521, or RSA) as its wire blob, which is what
/// allowed_signers lists, signatures embed and fingerprints hash.
/// </summary>
public sealed class SshPublicKey : IEquatable<SshPublicKey>
{
    private const int MinimumRsaBits = 1024;

    private SshPublicKey(string keyType, byte[] blob)
    {
        KeyType = keyType;
        Blob = blob;
    }

    /// <summary>The key's type by its wire name, e.g. <c>ssh-ed25519</c>.</summary>
    public string KeyType { get; }

    public byte[] Blob { get; }

    /// <summary>The fingerprint as <c>ssh-keygen -l</c> prints it: <c>SHA256:</c> and the unpadded base64 of the blob's SHA-256.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    /// <summary>The key as an allowed_signers or authorized_keys line writes it: type and base64 blob.</summary>
    public string OpenSshText => $"{KeyType} {Convert.ToBase64String(Blob)}";

    /// <summary>Parses a key blob; an unsupported type or malformed blob throws <see cref="FormatException"/>.</summary>
    public static SshPublicKey FromBlob(ReadOnlyMemory<byte> blob)
    {
        var reader = new SshWireReader(blob);
        var type = reader.ReadText();
        switch (type)
        {
            case SshKeyType.Ed25519:
                if (reader.ReadString().Length != 32)
                {
                    throw new FormatException("an ed25519 key is not 32 bytes");
                }

                break;
            case SshKeyType.Rsa:
                reader.ReadMpint();
                var modulus = reader.ReadMpint();
                if (modulus.Length * 8 < MinimumRsaBits)
                {
                    throw new FormatException($"the RSA key has fewer than {MinimumRsaBits} bits");
                }

                break;
            case var ecdsa when SshKeyType.IsEcdsa(ecdsa):
                var curve = SshKeyType.Curve(ecdsa);
                if (reader.ReadText() != curve.Name)
                {
                    throw new FormatException($"the {ecdsa} key names another curve");
                }

                if (reader.ReadString().Length != (2 * curve.FieldBytes) + 1)
                {
                    throw new FormatException($"the {ecdsa} key's point is not an uncompressed point on {curve.Name}");
                }

                break;
            default:
                throw new FormatException($"the key type '{type}' is not supported (supported: {string.Join(", ", SshKeyType.All)})");
        }

        if (!reader.AtEnd)
        {
            throw new FormatException("the key has bytes after its end");
        }

        return new SshPublicKey(type, blob.ToArray());
    }

    /// <summary>Parses the type and base64 blob of an OpenSSH key line; the two must agree.</summary>
    public static SshPublicKey Parse(string keyType, string base64)
    {
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new FormatException("the key is not valid base64");
        }

        var key = FromBlob(blob);
        return key.KeyType == keyType ? key : throw new FormatException($"the key is marked {keyType} but holds a {key.KeyType} key");
    }

    /// <summary>
    /// Checks an SSH signature blob (<c>string algorithm, string signature</c>) over <paramref name="data"/>.
    /// RSA keys must sign with rsa-sha2-512 or rsa-sha2-256 (SHA-1 signatures are refused).
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> signatureBlob, out string? problem)
    {
        problem = null;
        try
        {
            var signature = new SshWireReader(signatureBlob);
            var algorithm = signature.ReadText();
            var bytes = signature.ReadString();
            if (!signature.AtEnd)
            {
                problem = "the signature has bytes after its end";
                return false;
            }

            var key = new SshWireReader(Blob);
            key.ReadString();
            bool valid;
            switch (KeyType)
            {
                case SshKeyType.Ed25519:
                    if (algorithm != SshKeyType.Ed25519)
                    {
                        problem = $"an ed25519 key cannot make a '{algorithm}' signature";
                        return false;
                    }

                    valid = bytes.Length == Ed25519.SignatureSize && Ed25519.Verify(bytes.ToArray(), 0, key.ReadString().ToArray(), 0, data.ToArray(), 0, data.Length);
                    break;
                case SshKeyType.Rsa:
                    var hash = algorithm switch
                    {
                        "rsa-sha2-512" => HashAlgorithmName.SHA512,
                        "rsa-sha2-256" => HashAlgorithmName.SHA256,
                        _ => default,
                    };
                    if (hash == default)
                    {
                        problem = $"'{algorithm}' is not an accepted RSA signature (rsa-sha2-512 or rsa-sha2-256)";
                        return false;
                    }

                    var exponent = key.ReadMpint();
                    var modulus = key.ReadMpint();
                    using (var rsa = RSA.Create(new RSAParameters { Exponent = exponent, Modulus = modulus }))
                    {
                        // Some signers drop leading zero bytes of the signature; pad it back to the modulus' length.
                        var padded = bytes.Length < modulus.Length ? new byte[modulus.Length - bytes.Length].Concat(bytes.ToArray()).ToArray() : bytes.ToArray();
                        valid = rsa.VerifyData(data, padded, hash, RSASignaturePadding.Pkcs1);
                    }

                    break;
                default:
                    if (algorithm != KeyType)
                    {
                        problem = $"a {KeyType} key cannot make a '{algorithm}' signature";
                        return false;
                    }

                    var curve = SshKeyType.Curve(KeyType);
                    key.ReadString();
                    var point = key.ReadString().Span;
                    var numbers = new SshWireReader(bytes);
                    var r = numbers.ReadMpint();
                    var s = numbers.ReadMpint();
                    if (r.Length > curve.FieldBytes || s.Length > curve.FieldBytes)
                    {
                        problem = "the ECDSA signature's numbers are too long for the curve";
                        return false;
                    }

                    var fixedSize = new byte[2 * curve.FieldBytes];
                    r.CopyTo(fixedSize, curve.FieldBytes - r.Length);
                    s.CopyTo(fixedSize, fixedSize.Length - s.Length);
                    using (var ecdsa = ECDsa.Create(new ECParameters
                    {
                        Curve = curve.Curve,
                        Q = new ECPoint { X = point[1..(1 + curve.FieldBytes)].ToArray(), Y = point[(1 + curve.FieldBytes)..].ToArray() },
                    }))
                    {
                        valid = ecdsa.VerifyData(data, fixedSize, curve.Hash);
                    }

                    break;
            }

            if (!valid)
            {
                problem = "the signature does not match the signed bytes and the key";
            }

            return valid;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            problem = $"the signature is malformed ({ex.Message})";
            return false;
        }
    }

    public bool Equals(SshPublicKey? other) => other is not null && Blob.AsSpan().SequenceEqual(other.Blob);

    public override bool Equals(object? obj) => Equals(obj as SshPublicKey);

    public override int GetHashCode() => Fingerprint.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"{KeyType} {Fingerprint}";
}
