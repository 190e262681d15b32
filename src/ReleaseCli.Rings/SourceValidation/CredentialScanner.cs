using System.Text;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// Looks for credentials in every text file of a checked-out tree (the .git folder and symbolic links left out),
/// line by line, with <see cref="CredentialRules"/>. A finding names the file, the line and the rule, never the
/// secret itself; one the allowlist covers is kept with the allowlist's reason as its suppression.
/// </summary>
public static class CredentialScanner
{
    /// <summary>How far into a file to look for a NUL byte, which marks it as binary (as git does).</summary>
    private const int BinaryProbe = 8000;

    public static CredentialScanResult Scan(string root, CredentialAllowlist allowlist, CancellationToken cancellationToken)
    {
        var findings = new List<SdlFinding>();
        var scanned = 0;
        var binary = 0;
        foreach (var file in SourceTree.Files(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, file.FullName).Replace('\\', '/');
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (IsBinary(stream))
            {
                binary++;
                continue;
            }

            scanned++;
            stream.Position = 0;
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                foreach (var rule in CredentialRules.All.Where(r => r.Matches(line)))
                {
                    // A key in a connection string matches both key rules; the more precise one says it.
                    if (rule == CredentialRules.StorageBareKey && CredentialRules.StorageConnectionKey.Matches(line))
                    {
                        continue;
                    }

                    var allowed = allowlist.Covering(relative, number);
                    findings.Add(new SdlFinding(rule.Id, SarifLevel.Error, $"{rule.Description} Remove it from the repository and rotate it; if it is not a secret, list {relative}:{number} in the credential allowlist with the reason.", relative, number)
                    {
                        Suppression = allowed is null ? null : $"{allowed.Reason} (credential allowlist line {allowed.SourceLine})",
                    });
                }
            }
        }

        return new CredentialScanResult(findings, scanned, binary);
    }

    private static bool IsBinary(Stream stream)
    {
        Span<byte> probe = stackalloc byte[BinaryProbe];
        var read = stream.ReadAtLeast(probe, BinaryProbe, throwOnEndOfStream: false);
        // UTF-16 text has NUL bytes too; its byte order mark says it is text.
        var utf16 = read >= 2 && ((probe[0] == 0xFF && probe[1] == 0xFE) || (probe[0] == 0xFE && probe[1] == 0xFF));
        return !utf16 && probe[..read].Contains((byte)0);
    }
}
