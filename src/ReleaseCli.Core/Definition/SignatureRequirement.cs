namespace ReleaseCli.Core.Definition;

/// <summary>What <c>$.identity.require</c> asks of decisions and ring runs.</summary>
public enum SignatureRequirement
{
    /// <summary>Signatures are made where a key is at hand and checked where present; unsigned decisions count, marked unverified.</summary>
    None,

    /// <summary>Every decision and every ring run's start and end is signed by its actor; anything else is refused or, when read, a tampered ledger.</summary>
    Signed,
}
