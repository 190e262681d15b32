namespace ReleaseCli.Rings.BuildValidation;

/// <summary>The rule ids of the Build Validation checks; docs/build-validation.md describes each.</summary>
public static class RuleIds
{
    public const string UnsafeEntryPath = "VAL001";
    public const string ContainerUnreadable = "VAL002";
    public const string DuplicateEntry = "VAL003";
    public const string TooDeep = "VAL004";
    public const string InflationLimit = "VAL005";

    public const string AuthenticodeUnsigned = "SIGN001";
    public const string AuthenticodeBadSignature = "SIGN002";
    public const string AuthenticodeDigestMismatch = "SIGN003";
    public const string AuthenticodeUntrusted = "SIGN004";
    public const string AuthenticodeUnexpectedSigner = "SIGN005";
    public const string AuthenticodeMalformedSignature = "SIGN006";
    public const string PackageUnsigned = "SIGN010";
    public const string PackageTampered = "SIGN011";
    public const string PackageUntrusted = "SIGN012";
    public const string PackageBadSignature = "SIGN013";
    public const string PackageUnexpectedSigner = "SIGN014";
    public const string Unsupported = "SIGN020";
    public const string Excluded = "SIGN021";

    public const string PackageNoNuspec = "PKG001";
    public const string PackageBadNuspec = "PKG002";
    public const string PackageIdMismatch = "PKG010";
    public const string PackageVersionMismatch = "PKG011";
    public const string PackageRepositoryMismatch = "PKG012";
    public const string PackageCommitMismatch = "PKG013";
    public const string PackageMissingMetadata = "PKG014";
    public const string PackagePrerelease = "PKG015";

    public const string SymbolsNoDebugRecord = "SYM001";
    public const string SymbolsMissing = "SYM002";
    public const string SymbolsServerError = "SYM003";
    public const string SymbolsUnreadablePdb = "SYM004";

    public const string SourceLinkMissing = "SRC001";
    public const string SourceLinkUnmapped = "SRC002";
    public const string SourceLinkWrongCommit = "SRC003";
    public const string SourceLinkUnreachable = "SRC004";

    public const string ChecksumMismatch = "CHK001";
    public const string ChecksumSidecarMismatch = "CHK002";
    public const string ChecksumSidecarUnreadable = "CHK003";

    public const string AssetMissing = "AST001";
    public const string AssetExtra = "AST002";
    public const string AssetNotInContract = "AST003";
    public const string AssetGoneFromBar = "AST004";
    public const string AssetMisplaced = "AST005";

    public const string BinSkimFailed = "BSK001";

    /// <summary>Short descriptions for SARIF's rule metadata.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [UnsafeEntryPath] = "An archive entry's path would escape the folder it is extracted to (zip-slip).",
        [ContainerUnreadable] = "A container (nupkg, zip, tar.gz) cannot be opened.",
        [DuplicateEntry] = "A container holds two entries with the same name.",
        [TooDeep] = "Containers are nested deeper than the configured limit.",
        [AuthenticodeUnsigned] = "A PE file (.dll, .exe) or PowerShell script (.ps1, .psm1, .psd1) has no Authenticode signature.",
        [AuthenticodeBadSignature] = "A PE file's or script's PKCS#7 signature does not verify.",
        [AuthenticodeDigestMismatch] = "A PE file or script was changed after it was signed.",
        [AuthenticodeUntrusted] = "A PE file's or script's signer does not chain to a trusted root.",
        [AuthenticodeUnexpectedSigner] = "A PE file or script is signed by a signer the release does not expect.",
        [AuthenticodeMalformedSignature] = "A PE file's certificate table, or a script's signature block, cannot be read.",
        [PackageUnsigned] = "A package has no author or repository signature.",
        [PackageTampered] = "A package's content no longer matches its signature.",
        [PackageUntrusted] = "A package's signer is not trusted.",
        [PackageBadSignature] = "A package's signature is invalid.",
        [PackageUnexpectedSigner] = "A package is signed by a signer the release does not expect.",
        [Unsupported] = "A file of a signable type this tool cannot verify.",
        [Excluded] = "A file left unchecked by the exclusions file.",
        [PackageNoNuspec] = "A package has no nuspec at its root.",
        [PackageBadNuspec] = "A package's nuspec cannot be read.",
        [PackageIdMismatch] = "A package's id differs from its BAR asset's name.",
        [PackageVersionMismatch] = "A package's version differs from its BAR asset's version.",
        [PackageRepositoryMismatch] = "A package's repository URL differs from its BAR build's.",
        [PackageCommitMismatch] = "A package's repository commit differs from its BAR build's.",
        [PackageMissingMetadata] = "A package lacks metadata the release requires (authors, license, project URL, icon, repository).",
        [PackagePrerelease] = "A stable release ships a package with a prerelease label.",
        [SymbolsNoDebugRecord] = "A shipping PE file has no CodeView debug record, so no PDB can be matched to it.",
        [SymbolsMissing] = "A shipping PE file's PDB is not in a symbol package, not embedded and not on the symbol server.",
        [SymbolsServerError] = "The symbol server could not be asked.",
        [SymbolsUnreadablePdb] = "A PDB cannot be read.",
        [SourceLinkMissing] = "A portable PDB has no SourceLink information.",
        [SourceLinkUnmapped] = "Source documents of a PDB are not mapped by its SourceLink.",
        [SourceLinkWrongCommit] = "SourceLink URLs do not point at the build's repository and commit.",
        [SourceLinkUnreachable] = "A SourceLink URL did not answer (online check).",
        [ChecksumMismatch] = "A drop file's SHA-512 or size differs from the contract.",
        [ChecksumSidecarMismatch] = "A .sha512 file in the drop does not match the file it describes.",
        [ChecksumSidecarUnreadable] = "A .sha512 file in the drop cannot be read or names no file.",
        [AssetMissing] = "An asset of the contract is missing from the drop.",
        [AssetExtra] = "The drop holds a file the contract does not list.",
        [AssetNotInContract] = "BAR lists an asset of a candidate build that the contract does not.",
        [AssetGoneFromBar] = "The contract lists an asset BAR no longer has (or has at another version).",
        [AssetMisplaced] = "A shipping asset lies under nonshipping/ or the other way round, or BAR's shipping flag differs.",
        [BinSkimFailed] = "BinSkim could not be run or its SARIF could not be read.",
    };
}
