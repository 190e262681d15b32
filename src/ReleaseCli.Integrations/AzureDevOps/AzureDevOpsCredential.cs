using System.Net.Http.Headers;
using System.Text;
using Azure.Core;
using Azure.Identity;
using ReleaseCli.Core;
using ReleaseCli.Core.Pipelines;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations.Identity;

namespace ReleaseCli.Integrations.AzureDevOps;

/// <summary>
/// How requests to Azure DevOps are authorized. The token in the environment variable the settings name (default
/// <see cref="AzureDevOpsPipelineSettings.DefaultTokenVariable"/>) wins; without one, Azure.Identity's
/// DefaultAzureCredential is asked for a Microsoft Entra token for Azure DevOps (<see cref="Scope"/>).
/// A token shaped as a JWT (an Entra token, or a pipeline's <c>System.AccessToken</c>) goes as <c>Bearer</c>;
/// anything else is a personal access token, which Azure DevOps takes only as <c>Basic</c> with an empty user name.
/// The token, and the Basic value made from it, are registered with the <see cref="SecretMasker"/> before use.
/// </summary>
public sealed class AzureDevOpsCredential
{
    /// <summary>Azure DevOps' resource id, as an Entra scope.</summary>
    public const string Scope = "499b84ac-1321-427f-aa17-267ca6975798/.default";

    private readonly string? _variableValue;
    private readonly RefreshingAzureToken? _azure;
    private readonly SecretMasker _masker;

    public AzureDevOpsCredential(AzureDevOpsPipelineSettings settings, SecretMasker masker, TimeProvider time, Func<string, string?>? readVariable = null, TokenCredential? azureCredential = null)
    {
        _masker = masker;
        VariableName = settings.TokenVariableName;
        _variableValue = (readVariable ?? Environment.GetEnvironmentVariable)(VariableName);
        if (string.IsNullOrWhiteSpace(_variableValue))
        {
            _variableValue = null;
            _azure = new RefreshingAzureToken(azureCredential ?? new DefaultAzureCredential(), Scope, masker, time);
        }

        Register(_variableValue);
    }

    /// <summary>The environment variable read for the token.</summary>
    public string VariableName { get; }

    /// <summary>Which credential is used, for messages: never the token.</summary>
    public string Description => _variableValue is not null
        ? $"the token in environment variable {VariableName}"
        : $"Azure.Identity DefaultAzureCredential for Azure DevOps (environment variable {VariableName} is not set)";

    /// <summary>What to do when Azure DevOps refuses the credential or none is available.</summary>
    public string HowToProvide =>
        $"Set the environment variable {VariableName} (or the one named in the step's tokenVariable) to a personal access token with the Build (Read & execute) scope, " +
        "or, in Azure Pipelines, to $(System.AccessToken); or leave it unset and sign in for Azure.Identity (az login, a managed identity, or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET) " +
        "as an identity that may queue the pipeline. Never put a token in release.json.";

    public async ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(Uri organization, CancellationToken cancellationToken)
    {
        if (_variableValue is not null)
        {
            return Authorization(_variableValue);
        }

        var token = await _azure!.GetAsync(
            reason => ReleaseException.Usage($"Could not get a token for Azure DevOps at {organization} from {Description}: {reason} {HowToProvide}"),
            cancellationToken).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private AuthenticationHeaderValue Authorization(string token)
    {
        if (IsJwt(token))
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }

        return new AuthenticationHeaderValue("Basic", BasicValue(token));
    }

    private void Register(string? token)
    {
        _masker.Register(token);
        if (token is not null && !IsJwt(token))
        {
            // The Basic value carries the token in base64; it is as secret as the token.
            _masker.Register(BasicValue(token));
        }
    }

    private static string BasicValue(string token) => Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + token));

    /// <summary>Three dot-separated base64url parts, the first a JSON header: personal access tokens never have dots.</summary>
    internal static bool IsJwt(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 3 && token.StartsWith("eyJ", StringComparison.Ordinal) && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }
}
