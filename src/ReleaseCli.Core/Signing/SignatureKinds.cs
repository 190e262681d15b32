namespace ReleaseCli.Core.Signing;

/// <summary>The kinds of signature a sign request may ask for, as the signing service's contract spells them.</summary>
public static class SignatureKinds
{
    /// <summary>A detached, armored OpenPGP signature <c>&lt;name&gt;.asc</c> of each file.</summary>
    public const string OpenPgpDetached = "openpgp-detached";
}
