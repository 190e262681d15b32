namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The validation step kinds of the catalogue, each running one check of the shared pass.</summary>
public static class ValidationStepKinds
{
    public static IReadOnlyList<IValidationStepKind> All { get; } =
    [
        new SigningValidationKind(),
        new PackageValidationKind(),
        new SymbolValidationKind(),
        new SourceLinkValidationKind(),
        new ChecksumValidationKind(),
        new AssetValidationKind(),
        new BinSkimKind(),
    ];

    private static readonly Dictionary<string, IValidationStepKind> ByKind = All.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>The validation kind named <paramref name="kind"/>; null for a step of any other kind.</summary>
    public static IValidationStepKind? Find(string kind) => ByKind.GetValueOrDefault(kind);
}
