namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// What a file of a signable type this tool cannot verify (.msi, .pkg, .deb, .vsix, …) is, unless the
/// exclusions file exempts it: an error by default, since an unsigned installer must not ship unnoticed.
/// </summary>
public enum UnsupportedTypePolicy
{
    Error,
    Warn,
}
