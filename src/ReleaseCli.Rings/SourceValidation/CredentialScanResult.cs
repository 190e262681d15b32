namespace ReleaseCli.Rings.SourceValidation;

/// <summary>What the credential scan found in one tree, and how much of the tree it read.</summary>
public sealed record CredentialScanResult(IReadOnlyList<SdlFinding> Findings, int FilesScanned, int BinaryFilesSkipped);
