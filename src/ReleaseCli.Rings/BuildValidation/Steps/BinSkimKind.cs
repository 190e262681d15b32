namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>The <c>binskim</c> step kind: its settings name the BinSkim executable.</summary>
public sealed class BinSkimKind() : ValidationStepKind<BinSkimSettings>(
    "binskim",
    ValidationCheck.BinSkim,
    "BinSkim's binary analysis of the PE files (SARIF)",
    () => RingsSettingsJsonContext.Default.BinSkimSettings)
{
    protected override IEnumerable<(string Key, string Message)> ValidateCheckSettings(BinSkimSettings settings) =>
        EmptyPath("path", settings.Path);

    protected override ValidationOptions Configure(ValidationOptions options, BinSkimSettings settings, Func<string, string> resolvePath) =>
        settings.Path is { } path ? options with { BinSkimPath = resolvePath(path) } : options;
}
