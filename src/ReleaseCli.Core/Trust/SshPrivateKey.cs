using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace ReleaseCli.Core.Trust;

/// <summary>
/// An unencrypted private key in the OpenSSH format (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>,
/// "openssh-key-v1"), as <c>ssh-keygen</c> writes it. Encrypted keys are refused: they belong in ssh-agent.
/// </summary>
public sealed class SshPrivateKey : ISshSigner, IDisposable
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("openssh-key-v1\0");

    private readonly byte[]? _ed25519Seed;
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private SshPrivateKey(SshPublicKey publicKey, string source, byte[]? ed25519Seed, ECDsa? ecdsa, RSA? rsa)
    {
        PublicKey = publicKey;
        Source = source;
        _ed25519Seed = ed25519Seed;
        _ecdsa = ecdsa;
        _rsa = rsa;
    }

    public SshPublicKey PublicKey { get; }

    public string Source { get; }

    /// <summary>Reads a key file; anything the tool cannot use throws a usage error naming the file and what to do.</summary>
    public static SshPrivateKey Load(string path)
    {
        var text = UserFile.Read(path, File.ReadAllText, error =>
            $"Cannot read the signing key {path}: {error}. Pass an OpenSSH private key with --signing-key, or load it into ssh-agent.");

        try
        {
            return Parse(text, path);
        }
        catch (FormatException ex)
        {
            throw ReleaseException.Usage($"The signing key {path} cannot be used: {ex.Message}.");
        }
    }

    /// <summary>Parses the text of a key file; <see cref="FormatException"/> says what is wrong.</summary>
    public static SshPrivateKey Parse(string text, string source)
    {
        ReadOnlyMemory<byte> body;
        try
        {
            body = SshArmor.Open(text, "OPENSSH PRIVATE KEY", Magic, "an OpenSSH private key (openssh-key-v1)");
        }
        catch (FormatException ex) when (!text.Contains("-----BEGIN OPENSSH PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new FormatException($"{ex.Message}; a PEM key can be rewritten in the OpenSSH format with `ssh-keygen -p -f <file>`");
        }

        var reader = new SshWireReader(body);
        var cipher = reader.ReadText();
        var kdf = reader.ReadText();
        reader.ReadString();
        if (cipher != "none" || kdf != "none")
        {
            throw new FormatException($"it is encrypted with a passphrase ({cipher}), and the tool does not ask for passphrases. Load it into ssh-agent (`ssh-add {source}`) and run without --signing-key, so the agent signs");
        }

        if (reader.ReadUInt32() != 1)
        {
            throw new FormatException("it holds more than one key");
        }

        var publicKey = SshPublicKey.FromBlob(reader.ReadString());
        var secret = new SshWireReader(reader.ReadString());
        if (secret.ReadUInt32() != secret.ReadUInt32())
        {
            throw new FormatException("its check numbers differ (the file is damaged)");
        }

        var type = secret.ReadText();
        if (type != publicKey.KeyType)
        {
            throw new FormatException("its private part is of another type than its public key");
        }

        SshPrivateKey key;
        switch (type)
        {
            case SshKeyType.Ed25519:
                secret.ReadString();
                var pair = secret.ReadString();
                if (pair.Length != 64)
                {
                    throw new FormatException("its ed25519 private key is not 64 bytes");
                }

                key = new SshPrivateKey(publicKey, source, pair[..32].ToArray(), null, null);
                break;
            case SshKeyType.Rsa:
                var n = secret.ReadMpint();
                var e = secret.ReadMpint();
                var d = secret.ReadMpint();
                var iqmp = secret.ReadMpint();
                var p = secret.ReadMpint();
                var q = secret.ReadMpint();
                key = new SshPrivateKey(publicKey, source, null, null, CreateRsa(n, e, d, iqmp, p, q));
                break;
            default:
                var curve = SshKeyType.Curve(type);
                secret.ReadString();
                var point = secret.ReadString().Span;
                var scalar = secret.ReadMpint();
                var privateScalar = new byte[curve.FieldBytes];
                scalar.CopyTo(privateScalar, curve.FieldBytes - scalar.Length);
                key = new SshPrivateKey(publicKey, source, null, ECDsa.Create(new ECParameters
                {
                    Curve = curve.Curve,
                    D = privateScalar,
                    Q = new ECPoint { X = point[1..(1 + curve.FieldBytes)].ToArray(), Y = point[(1 + curve.FieldBytes)..].ToArray() },
                }), null);
                break;
        }

        return key;
    }

    public Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken) => Task.FromResult(Sign(data));

    /// <summary>Signs as OpenSSH does: ed25519, ECDSA with the curve's hash, RSA with rsa-sha2-512.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (_ed25519Seed is not null)
        {
            var signature = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(_ed25519Seed, 0, data.ToArray(), 0, data.Length, signature, 0);
            return new SshWireWriter().String(SshKeyType.Ed25519).String(signature).ToArray();
        }

        if (_rsa is not null)
        {
            return new SshWireWriter().String("rsa-sha2-512").String(_rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1)).ToArray();
        }

        var curve = SshKeyType.Curve(PublicKey.KeyType);
        var fixedSize = _ecdsa!.SignData(data, curve.Hash);
        var numbers = new SshWireWriter().Mpint(fixedSize.AsSpan(0, curve.FieldBytes)).Mpint(fixedSize.AsSpan(curve.FieldBytes)).ToArray();
        return new SshWireWriter().String(PublicKey.KeyType).String(numbers).ToArray();
    }

    public void Dispose()
    {
        if (_ed25519Seed is not null)
        {
            CryptographicOperations.ZeroMemory(_ed25519Seed);
        }

        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }

    /// <summary>.NET wants the CRT numbers OpenSSH does not store (d mod p-1, d mod q-1), each padded to its expected length.</summary>
    private static RSA CreateRsa(byte[] n, byte[] e, byte[] d, byte[] iqmp, byte[] p, byte[] q)
    {
        static BigInteger Number(byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
        static byte[] Padded(BigInteger value, int length)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[length];
            bytes.CopyTo(padded, length - bytes.Length);
            return padded;
        }

        var half = (n.Length + 1) / 2;
        var dValue = Number(d);
        return RSA.Create(new RSAParameters
        {
            Modulus = n,
            Exponent = e,
            D = Padded(dValue, n.Length),
            P = Padded(Number(p), half),
            Q = Padded(Number(q), half),
            DP = Padded(dValue % (Number(p) - 1), half),
            DQ = Padded(dValue % (Number(q) - 1), half),
            InverseQ = Padded(Number(iqmp), half),
        });
    }
}
