using System.Security.Cryptography;
using System.Text;
using ReleaseCli.Rings.SourceValidation;

namespace ReleaseCli.Tests.SourceValidation;

public sealed class CredentialScannerTests : IDisposable
{
    // Shapes only: each is made here from a hash or a repeated pattern and opens nothing.
    private static readonly string StorageKey = Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes("not a key")));
    private static readonly string GitHubToken = "ghp_" + new string('a', 18) + new string('7', 18);
    private static readonly string NuGetKey = "oy2" + new string('k', 20) + new string('3', 23);

    private readonly TestDirectory _tree = new();

    public void Dispose() => _tree.Dispose();

    private void Write(string relative, string text)
    {
        var path = _tree.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private CredentialScanResult Scan(CredentialAllowlist? allowlist = null) => CredentialScanner.Scan(_tree.Path, allowlist ?? CredentialAllowlist.Empty, CancellationToken.None);

    [Fact]
    public void Each_credential_shape_is_found_with_its_file_and_line_and_the_secret_is_not_repeated()
    {
        Write("config/app.json", $"{{\n  \"a\": 1,\n  \"storage\": \"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={StorageKey};EndpointSuffix=core.windows.net\"\n}}\n");
        Write("config/bare.txt", $"first line\nprimary key: {StorageKey}\n");
        Write("scripts/sas.ps1", "$u = 'https://x.blob.core.windows.net/c?sv=2024-11-04&se=2026-12-01T00:00:00Z&sr=c&sp=r&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%2B%2F%3D'\n");
        Write("src/token.cs", $"// nothing here\nvar t = \"{GitHubToken}\";\n");
        Write("keys/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        Write("NuGet.config", $"<a>\n<add key=\"ApiKey\" value=\"{NuGetKey}\" />\n</a>\n");
        Write("db.config", "<add name=\"Db\" connectionString=\"Server=db.contoso.com;Database=orders;User ID=app;Password=Pa55word!;\" />\n");

        var result = Scan();

        var found = result.Findings.Select(f => $"{f.RuleId} {f.Where}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "CRED001 config/app.json:3",
                "CRED002 config/bare.txt:2",
                "CRED003 scripts/sas.ps1:1",
                "CRED004 src/token.cs:2",
                "CRED005 keys/id_rsa:1",
                "CRED006 NuGet.config:2",
                "CRED007 db.config:1",
            ],
            found);
        Assert.All(result.Findings, f => Assert.Equal(SarifLevel.Error, f.Level));
        Assert.All(result.Findings, f => Assert.DoesNotContain(StorageKey, f.Message, StringComparison.Ordinal));
        Assert.Equal(7, result.FilesScanned);
    }

    [Fact]
    public void Near_misses_placeholders_git_folders_and_binary_files_are_not_findings()
    {
        Write("a.txt", $"AccountKey={StorageKey[..80]}==\n");              // too short for a key
        Write("b.txt", $"{StorageKey}\n");                                  // a bare key with no word 'key' on its line
        Write("c.config", "Server=db;User ID=app;Password={0};\nServer=db;User ID=app;Password=$(DbPassword);\n");
        Write("d.txt", "sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n");     // sig= without sv= or se=
        Write("e.txt", "ghp_short\n-----BEGIN PUBLIC KEY-----\n");
        Write(".git/config", $"token = {GitHubToken}\n");
        File.WriteAllBytes(_tree.Combine("f.bin"), [0, 1, 2, .. Encoding.ASCII.GetBytes(GitHubToken)]);

        var result = Scan();

        Assert.Empty(result.Findings);
        Assert.Equal(5, result.FilesScanned);
        Assert.Equal(1, result.BinaryFilesSkipped);
    }

    [Fact]
    public void The_allowlist_waves_through_the_findings_it_covers_with_their_reason_and_no_others()
    {
        Write("tests/data/keys.txt", $"key one {StorageKey}\nkey two {StorageKey}\n");
        Write("samples/app/settings.json", $"\"key\": \"{StorageKey}\"\n");
        Write("src/real.txt", $"key {StorageKey}\n");
        var allowlist = CredentialAllowlist.Parse(
            "# known test data\n\ntests/data/keys.txt:2 # a hash of a phrase, used by the parser tests\nsamples/**/*.json # documentation samples\n",
            "allowlist.txt",
            out var problems);
        Assert.Empty(problems);

        var findings = Scan(allowlist).Findings;

        Assert.Equal(["samples/app/settings.json:1", "tests/data/keys.txt:2"], findings.Where(f => f.Suppression is not null).Select(f => f.Where).Order(StringComparer.Ordinal));
        Assert.Equal(["src/real.txt:1", "tests/data/keys.txt:1"], findings.Where(f => f.Suppression is null).Select(f => f.Where).Order(StringComparer.Ordinal));
        Assert.Contains("used by the parser tests (credential allowlist line 3)", findings.Single(f => f.Where == "tests/data/keys.txt:2").Suppression, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowlist_lines_without_a_reason_or_outside_the_repository_are_each_reported_with_their_line()
    {
        CredentialAllowlist.Parse("a.txt\n../b.txt # up\n/etc/c # rooted\nd.txt:0 # zero\nok.txt # fine\n", "allow.txt", out var problems);

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("allow.txt:1: 'a.txt' has no reason", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("allow.txt:2:", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("allow.txt:3:", problems[2], StringComparison.Ordinal);
        Assert.StartsWith("allow.txt:4: line numbers start at 1", problems[3], StringComparison.Ordinal);
    }
}
