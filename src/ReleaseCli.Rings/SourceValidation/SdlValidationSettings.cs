namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The settings of an <c>sdl-validation</c> step (docs/validate-source.md).</summary>
public sealed record SdlValidationSettings
{
    /// <summary>Where the legs run; only <c>local</c> (the default) in this build.</summary>
    public SdlRunnerKind? Runner { get; init; }

    /// <summary>How many legs run at once; default 2.</summary>
    public int? MaxParallelLegs { get; init; }

    /// <summary>
    /// Where to clone a repository from instead of the address BAR gives (a mirror, or a local copy): BAR's
    /// repository address → an https or ssh address, a file:// URL or a path (relative to the definition's folder).
    /// </summary>
    public IReadOnlyDictionary<string, string>? RepositoryMirrors { get; init; }

    /// <summary>Where the pinned scanner tools are installed; default <c>$XDG_CACHE_HOME/release/tools</c> or <c>~/.cache/release/tools</c>.</summary>
    public string? ToolCache { get; init; }

    /// <summary>Which SARIF levels of the scanners' findings fail a leg; default error. Credential findings always do.</summary>
    public IReadOnlyList<SarifLevel>? FailOn { get; init; }

    /// <summary>Run DevSkim (pinned .NET tool) over the leg's source; default true.</summary>
    public bool? DevSkim { get; init; }

    /// <summary>DevSkim rule ids not to run (e.g. a rule the product has reviewed and accepted).</summary>
    public IReadOnlyList<string>? DevSkimIgnoreRuleIds { get; init; }

    /// <summary>Make an SPDX SBOM of the leg's source with sbom-tool (pinned .NET tool), kept as an artifact; default true.</summary>
    public bool? Sbom { get; init; }

    /// <summary>The SBOM's package supplier; default the definition's product.</summary>
    public string? SbomSupplier { get; init; }

    /// <summary>The https base of the SBOM's document namespace; default the leg's repository address.</summary>
    public string? SbomNamespaceBase { get; init; }

    /// <summary>Look for credentials (keys, tokens, passwords) in every file of the commit; default true.</summary>
    public bool? CredentialScan { get; init; }

    /// <summary>A file of credential findings known to be harmless: lines of <c>path-glob[:line] # reason</c> (relative to the definition's folder).</summary>
    public string? CredentialAllowlist { get; init; }

    /// <summary>More scanners the definition brings, run in each leg's source folder.</summary>
    public IReadOnlyList<SdlCommand>? Commands { get; init; }

    // Values bind as given or stay null (an initializer would not survive source-generated binding); defaults are here.
    /// <summary>The pipeline each leg runs as, when the runner is <c>azure-devops</c>.</summary>
    public ReleaseCli.Core.Pipelines.AzureDevOpsPipelineSettings? AzureDevOps { get; init; }

    public SdlRunnerKind RunnerKind() => Runner ?? SdlRunnerKind.Local;

    public int ParallelLegs() => MaxParallelLegs ?? 2;

    public bool RunsDevSkim() => DevSkim ?? true;

    public bool MakesSbom() => Sbom ?? true;

    public bool ScansCredentials() => CredentialScan ?? true;

    public IReadOnlyList<SarifLevel> FailingLevels() => FailOn ?? [SarifLevel.Error];
}
