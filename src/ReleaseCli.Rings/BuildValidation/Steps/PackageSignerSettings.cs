using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>One entry of <c>packageSigners</c>: a trusted package signer, by its certificate's SHA-256 or by the certificate file.</summary>
public sealed record PackageSignerSettings
{
    /// <summary>The signer's name in findings; default the fingerprint's first 12 digits.</summary>
    public string? Name { get; init; }

    /// <summary>The signing certificate's SHA-256 (64 hexadecimal digits); give this or <see cref="Certificate"/>.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>A PEM or DER file of the signing certificate; give this or <see cref="Fingerprint"/>.</summary>
    public string? Certificate { get; init; }

    /// <summary>Accept this signer although NuGet does not trust its chain's root.</summary>
    public bool AllowUntrustedRoot { get; init; }

    /// <summary>
    /// Keys the entry should not have. Kept rather than refused by the serializer, whose error names no key,
    /// so that validation can name each one; only their names are read. Settable because the serializer
    /// fills extension data after construction, which an init-only property does not allow.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownKeys { get; set; }
}
