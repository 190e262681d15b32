namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>symbol-validation</c> step kind: its settings name the symbol server asked for PDBs.</summary>
public sealed class SymbolValidationKind() : ValidationStepKind<SymbolValidationSettings>(
    "symbol-validation",
    ValidationCheck.Symbols,
    "every PE file has its portable PDB (in a symbol package, embedded, or on a symbol server)",
    () => RingsSettingsJsonContext.Default.SymbolValidationSettings)
{
    protected override IEnumerable<(string Key, string Message)> ValidateCheckSettings(SymbolValidationSettings settings) =>
        settings.SymbolServer is { } server && ValidationSettingText.SymbolServerProblem(server) is { } problem ? [("symbolServer", problem)] : [];

    // SSQP paths are appended to the base, which therefore ends in a slash.
    protected override ValidationOptions Configure(ValidationOptions options, SymbolValidationSettings settings, Func<string, string> resolvePath) =>
        settings.SymbolServer is { } server ? options with { SymbolServer = new Uri(server.EndsWith('/') ? server : server + "/") } : options;
}
