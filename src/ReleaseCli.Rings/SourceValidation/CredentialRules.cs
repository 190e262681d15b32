using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The credential shapes the credential scan knows (docs/validate-source.md lists them).</summary>
public static partial class CredentialRules
{
    public static CredentialRule StorageConnectionKey { get; } = new(
        "CRED001", "AzureStorageAccountKey", "An Azure storage account key in a connection string (AccountKey=…).", ConnectionKey());

    public static CredentialRule StorageBareKey { get; } = new(
        "CRED002", "AzureStorageAccountKeyNearKey", "An 88-character base64 value ending in == on a line that speaks of a key: the shape of an Azure storage account key.", BareKey(), KeyWord());

    public static CredentialRule SasToken { get; } = new(
        "CRED003", "SharedAccessSignature", "A shared access signature (sig= with sv= or se=): a token that grants access to Azure storage.", SasSignature(), SasFields());

    public static CredentialRule GitHubToken { get; } = new(
        "CRED004", "GitHubToken", "A GitHub token (ghp_, gho_, ghs_, ghu_, ghr_ or github_pat_).", GitHub());

    public static CredentialRule PrivateKey { get; } = new(
        "CRED005", "PrivateKeyBlock", "A private key block (-----BEGIN … PRIVATE KEY-----).", PrivateKeyBlock());

    public static CredentialRule NuGetApiKey { get; } = new(
        "CRED006", "NuGetApiKey", "A NuGet API key (oy2 and 43 lower-case letters and digits).", NuGet());

    public static CredentialRule ConnectionStringPassword { get; } = new(
        "CRED007", "ConnectionStringPassword", "A connection string with a password (Password= or Pwd= beside Server=, Data Source=, User ID=…).", Password(), ConnectionStringField())
    {
        IsPlaceholder = m => Placeholder().IsMatch(m.Groups["value"].Value),
    };

    public static IReadOnlyList<CredentialRule> All { get; } =
        [StorageConnectionKey, StorageBareKey, SasToken, GitHubToken, PrivateKey, NuGetApiKey, ConnectionStringPassword];

    [GeneratedRegex("AccountKey=[A-Za-z0-9+/]{86}==", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionKey();

    [GeneratedRegex("(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])")]
    private static partial Regex BareKey();

    [GeneratedRegex("key", RegexOptions.IgnoreCase)]
    private static partial Regex KeyWord();

    [GeneratedRegex(@"(?<![A-Za-z0-9])sig=[A-Za-z0-9%+/]{30,}(=|%3D){0,2}", RegexOptions.IgnoreCase)]
    private static partial Regex SasSignature();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(sv=\d{4}-\d{2}-\d{2}|se=\d{4}-\d{2}-\d{2})", RegexOptions.IgnoreCase)]
    private static partial Regex SasFields();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])((ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])")]
    private static partial Regex GitHub();

    [GeneratedRegex("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")]
    private static partial Regex PrivateKeyBlock();

    [GeneratedRegex("(?<![A-Za-z0-9])oy2[a-z0-9]{43}(?![A-Za-z0-9])")]
    private static partial Regex NuGet();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(password|pwd)\s*=\s*(?<value>[^;""'\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Password();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(server|data source|host|user id|uid|database|initial catalog|username|user)\s*=[^;]*;", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringField();

    // {0}, $(Secret), ${SECRET}, <password>, %PASSWORD%, ***, ... : a slot for a secret, not one.
    [GeneratedRegex(@"^(\{.*\}?|\$.*|<.*>?|%.*%?|\*+|\.\.\.|\[.*\]?)$")]
    private static partial Regex Placeholder();
}
