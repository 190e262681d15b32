namespace ReleaseCli.Core.Bar;

/// <summary>Maestro's asset location types.</summary>
public enum AssetLocationType
{
    None,
    NugetFeed,
    Container,
}
