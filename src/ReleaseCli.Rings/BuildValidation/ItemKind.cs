namespace ReleaseCli.Rings.BuildValidation;

/// <summary>What an item is, by its name.</summary>
public enum ItemKind
{
    Other,
    Package,
    SymbolPackage,
    Zip,
    TarGz,
    PortableExecutable,
    Pdb,
    Checksum,
    /// <summary>A type that can carry a signature this tool does not verify.</summary>
    UnsupportedSignable,
}
