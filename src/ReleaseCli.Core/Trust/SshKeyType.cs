namespace ReleaseCli.Core.Trust;

/// <summary>The SSH key types the tool signs and verifies with, by their wire names.</summary>
public static class SshKeyType
{
    public const string Ed25519 = "ssh-ed25519";
    public const string Rsa = "ssh-rsa";
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";
    public const string EcdsaP384 = "ecdsa-sha2-nistp384";
    public const string EcdsaP521 = "ecdsa-sha2-nistp521";

    public static IReadOnlyList<string> All { get; } = [Ed25519, EcdsaP256, EcdsaP384, EcdsaP521, Rsa];

    public static bool IsEcdsa(string type) => type is EcdsaP256 or EcdsaP384 or EcdsaP521;

    /// <summary>The curve's name inside an ECDSA key ("nistp256"), its .NET curve, its hash and its field size in bytes.</summary>
    internal static (string Name, System.Security.Cryptography.ECCurve Curve, System.Security.Cryptography.HashAlgorithmName Hash, int FieldBytes) Curve(string type) => type switch
    {
        EcdsaP256 => ("nistp256", System.Security.Cryptography.ECCurve.NamedCurves.nistP256, System.Security.Cryptography.HashAlgorithmName.SHA256, 32),
        EcdsaP384 => ("nistp384", System.Security.Cryptography.ECCurve.NamedCurves.nistP384, System.Security.Cryptography.HashAlgorithmName.SHA384, 48),
        EcdsaP521 => ("nistp521", System.Security.Cryptography.ECCurve.NamedCurves.nistP521, System.Security.Cryptography.HashAlgorithmName.SHA512, 66),
        _ => throw new ArgumentException($"{type} is not an ECDSA key type", nameof(type)),
    };
}
