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
    /// <summary>A PowerShell script (.ps1, .psm1, .psd1): signed, when it is, by an Authenticode signature block.</summary>
    Script,
    /// <summary>A type that can carry a signature this tool does not verify.</summary>
    UnsupportedSignable,
}
