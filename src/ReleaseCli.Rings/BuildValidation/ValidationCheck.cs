namespace ReleaseCli.Rings.BuildValidation;

/// <summary>The checks of the Build Validation ring; each can run alone or together in one pass.</summary>
public enum ValidationCheck
{
    Signing,
    Packages,
    Symbols,
    SourceLink,
    Checksum,
    Assets,
    BinSkim,
}
