namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>The verdict on one signature.</summary>
public enum SignatureStatus
{
    Valid,
    Unsigned,
    /// <summary>The signature structure cannot be read.</summary>
    Malformed,
    /// <summary>The PKCS#7 signature does not verify.</summary>
    BadSignature,
    /// <summary>The file's bytes no longer match the digest that was signed.</summary>
    DigestMismatch,
    /// <summary>The signer's chain does not end in a trusted root, or is not valid for code signing.</summary>
    Untrusted,
    /// <summary>Signed and trusted, but by a signer the release does not expect.</summary>
    UnexpectedSigner,
}
