namespace ReleaseCli.Core.Ledger;

/// <summary>The ledger's chain is broken: a line was edited, removed, inserted or reordered.</summary>
public sealed class LedgerIntegrityException(string ledgerPath, int line, string problem)
    : ReleaseException(
        ExitCode.IntegrityViolation,
        $"The ledger {ledgerPath} is not intact: {(line > 0 ? $"line {line}: " : string.Empty)}{problem}. " +
        "Nothing was changed. Restore the ledger from a trusted copy; do not continue the release on a tampered ledger.")
{
    public int Line { get; } = line;
}
