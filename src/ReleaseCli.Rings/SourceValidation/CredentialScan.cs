namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The credential scan of a leg: the allowlist read (every mistake in it reported), then <see cref="CredentialScanner"/>.</summary>
public static class CredentialScan
{
    public static async Task<ScannerResult> RunAsync(LegWorkspace workspace, SdlValidationSettings settings, Func<string, string> resolvePath, CancellationToken cancellationToken)
    {
        if (!settings.ScansCredentials())
        {
            return ScannerResult.NotConfigured(SdlScanners.Credentials, "credentialScan");
        }

        var allowlist = CredentialAllowlist.Empty;
        if (settings.CredentialAllowlist is { } allowlistPath)
        {
            var file = resolvePath(allowlistPath);
            if (!File.Exists(file))
            {
                return ScannerResult.Error(SdlScanners.Credentials, $"the credential allowlist {file} (settings.credentialAllowlist) does not exist; create it or remove the setting");
            }

            allowlist = CredentialAllowlist.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file, out var problems);
            if (problems.Count > 0)
            {
                return ScannerResult.Error(SdlScanners.Credentials, $"the credential allowlist has mistakes: {string.Join("; ", problems)}");
            }
        }

        var result = await Task.Run(() => CredentialScanner.Scan(workspace.Source, allowlist, cancellationToken), cancellationToken).ConfigureAwait(false);
        // Credentials fail a leg whatever failOn says: a leaked secret is never a matter of taste.
        var failing = FindingVerdict.Failing(result.Findings, [SarifLevel.Error]);
        var message = $"credential scan of {result.FilesScanned} files ({result.BinaryFilesSkipped} binary skipped): {FindingVerdict.Counts(result.Findings)}"
            + (failing.Count > 0 ? $": {FindingVerdict.Examples(failing)}" : string.Empty);
        return new ScannerResult(SdlScanners.Credentials, failing.Count > 0 ? ScannerState.Failed : ScannerState.Passed, message)
        {
            Findings = result.Findings,
            ToolName = "release credential scan",
            ToolVersion = ReleaseCli.Core.Engine.ToolVersion.Current,
            RuleDescriptions = CredentialRules.All.ToDictionary(r => r.Id, r => r.Description, StringComparer.Ordinal),
        };
    }
}
