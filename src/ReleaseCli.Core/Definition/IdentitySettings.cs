namespace ReleaseCli.Core.Definition;

/// <summary>
/// Who may sign as whom (<c>$.identity</c>): the OpenSSH allowed_signers file, and whether decisions and ring runs
/// must be signed. Without <c>$.identity</c> nothing is signed and every decision is shown as unverified.
/// </summary>
/// <param name="AllowedSigners">The allowed_signers file as written in release.json (relative to it), or null.</param>
/// <param name="Require">Whether signatures are required.</param>
public sealed record IdentitySettings(string? AllowedSigners, SignatureRequirement Require)
{
    public static IdentitySettings Unverified { get; } = new(null, SignatureRequirement.None);
}
