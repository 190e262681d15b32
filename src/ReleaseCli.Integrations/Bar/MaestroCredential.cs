using Azure.Core;
using Azure.Identity;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Security;
using ReleaseCli.Integrations.Identity;

namespace ReleaseCli.Integrations.Bar;

/// <summary>
/// Where Maestro's bearer token comes from: the environment variable the definition names (default
/// <see cref="BarSettings.DefaultTokenVariable"/>), else Azure.Identity's DefaultAzureCredential for
/// <c>bar.tokenScope</c>. Every token obtained is registered with the <see cref="SecretMasker"/>
/// before it is used, so no log, output or message can carry it.
/// </summary>
public sealed class MaestroCredential
{
    private readonly string? _variableValue;
    private readonly RefreshingAzureToken? _azure;

    public MaestroCredential(BarSettings settings, SecretMasker masker, TimeProvider time, Func<string, string?>? readVariable = null, TokenCredential? azureCredential = null)
    {
        VariableName = settings.TokenVariable ?? (settings.TokenScope is null ? BarSettings.DefaultTokenVariable : null);
        _variableValue = VariableName is null ? null : (readVariable ?? Environment.GetEnvironmentVariable)(VariableName);
        if (string.IsNullOrWhiteSpace(_variableValue))
        {
            _variableValue = null;
        }

        masker.Register(_variableValue);
        if (_variableValue is null && settings.TokenScope is not null)
        {
            _azure = new RefreshingAzureToken(azureCredential ?? new DefaultAzureCredential(), settings.TokenScope, masker, time);
        }
    }

    /// <summary>The environment variable read for the token, if any.</summary>
    public string? VariableName { get; }

    /// <summary>Which credential is used, for messages: never the token.</summary>
    public string Description => _variableValue is not null
        ? $"the token in environment variable {VariableName}"
        : _azure is not null
            ? $"Azure.Identity DefaultAzureCredential for scope '{_azure.Scope}'"
            : $"no token (environment variable {VariableName} is not set)";

    /// <summary>What to do when Maestro refuses the credential or none is available.</summary>
    public string HowToProvide =>
        $"Set the environment variable {VariableName ?? BarSettings.DefaultTokenVariable} (or the one named in $.bar.tokenVariable) to a valid Maestro token, " +
        "or set $.bar.tokenScope so release signs in with Azure.Identity (az login, a managed identity, or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET). " +
        "Never put a token in release.json.";

    public async ValueTask<string> GetTokenAsync(Uri maestro, CancellationToken cancellationToken)
    {
        if (_variableValue is not null)
        {
            return _variableValue;
        }

        if (_azure is null)
        {
            throw ReleaseException.Usage($"Maestro at {maestro} needs a token, and {Description}. {HowToProvide}");
        }

        return await _azure.GetAsync(
            reason => new ReleaseException(ExitCode.UsageError, $"Could not get a token for Maestro at {maestro} from {Description}: {reason} {HowToProvide}"),
            cancellationToken).ConfigureAwait(false);
    }
}
