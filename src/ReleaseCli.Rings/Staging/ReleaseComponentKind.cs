namespace ReleaseCli.Rings.Staging;

/// <summary>The components a release's metadata can describe, each under its own key.</summary>
public enum ReleaseComponentKind
{
    Runtime,
    Sdk,
    AspNetCoreRuntime,
    WindowsDesktop,
}
