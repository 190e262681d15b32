using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>Who makes a <c>sign</c> step's signatures.</summary>
public enum SignerKind
{
    /// <summary>GnuPG on this machine, with the key in the step's keyring (and debsigs for Debian packages).</summary>
    [JsonStringEnumMemberName("gpg")]
    Gpg,

    /// <summary>The external signing service the step's <c>service</c> settings name; its signatures are verified here with gpg.</summary>
    [JsonStringEnumMemberName("service")]
    Service,
}
