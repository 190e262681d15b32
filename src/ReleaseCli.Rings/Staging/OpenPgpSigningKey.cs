using System.Text;

namespace ReleaseCli.Rings.Staging;

/// <summary>
/// The OpenPGP key that signs release files: the GnuPG home folder holding it, its id or
/// fingerprint, and its passphrase (a secret: never printed, passed to gpg only on standard input).
/// </summary>
public sealed record OpenPgpSigningKey(string KeyringFolder, string KeyId, string Passphrase)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("KeyringFolder = ").Append(KeyringFolder).Append(", KeyId = ").Append(KeyId).Append(", Passphrase = ***");
        return true;
    }
}
