namespace ReleaseCli.Rings.BuildValidation.Packages;

/// <summary>What the walk found of one package's nuspec, until the package is judged.</summary>
internal sealed class PackageManifest
{
    /// <summary>A .nuspec entry is at the package's root.</summary>
    public bool Named { get; set; }

    /// <summary>The nuspec was refused (too large) or could not be parsed; that is reported already.</summary>
    public bool Refused { get; set; }

    public NuspecInfo? Info { get; set; }
}
