using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Core.Pipelines;

/// <summary>
/// An Azure DevOps pipeline as a step's settings name it (docs/validate-source.md, "Azure DevOps runner"); a step
/// embeds it, e.g. as its <c>pipeline</c> setting, and checks it with <see cref="Validate"/>. A key this record does
/// not know is refused when the settings are bound, so a misspelt <c>tokenVariable</c> cannot pass unnoticed.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed partial record AzureDevOpsPipelineSettings
{
    /// <summary>The variable read for the token when <see cref="TokenVariable"/> is not given.</summary>
    public const string DefaultTokenVariable = "AZURE_DEVOPS_TOKEN";

    /// <summary>The build artifact Microsoft's SDL tooling publishes its SARIF logs in.</summary>
    public const string DefaultSarifArtifact = "CodeAnalysisLogs";

    /// <summary>The organization's address, e.g. <c>https://dev.azure.com/contoso</c>.</summary>
    public string? Organization { get; init; }

    /// <summary>The project's name or id.</summary>
    public string? Project { get; init; }

    /// <summary>The pipeline's id: the <c>definitionId</c> in its web address.</summary>
    public int PipelineId { get; init; }

    /// <summary>Values for the pipeline's YAML parameters; a step may add its own per run.</summary>
    public IReadOnlyDictionary<string, string>? TemplateParameters { get; init; }

    /// <summary>The environment variable holding the token; default <see cref="DefaultTokenVariable"/>.</summary>
    public string? TokenVariable { get; init; }

    /// <summary>The build artifact holding the run's <c>*.sarif</c> files; default <see cref="DefaultSarifArtifact"/>.</summary>
    public string? SarifArtifact { get; init; }

    public string TokenVariableName => TokenVariable ?? DefaultTokenVariable;

    public string SarifArtifactName => SarifArtifact ?? DefaultSarifArtifact;

    /// <summary>The pipeline these settings name; settings with a fault are refused with every fault named.</summary>
    public PipelineReference ToReference()
    {
        var errors = Validate().ToList();
        return errors.Count == 0
            ? new PipelineReference(new Uri(Organization!, UriKind.Absolute), Project!, PipelineId)
            : throw ReleaseException.Usage($"the Azure DevOps pipeline settings are not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}"))}");
    }

    /// <summary>
    /// A run of this pipeline at <paramref name="commit"/>, with these settings' template parameters and, over them,
    /// <paramref name="parameters"/> (what the step knows per run, such as the repository of a leg).
    /// </summary>
    public PipelineRunRequest RequestFor(string? commit, string? refName = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var merged = new Dictionary<string, string>(TemplateParameters ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return new PipelineRunRequest(ToReference(), commit, refName) { TemplateParameters = merged };
    }

    /// <summary>Every fault, as (key, message); keys start with <paramref name="keyPrefix"/> (e.g. <c>pipeline.</c>) where the settings are embedded.</summary>
    public IEnumerable<(string Key, string Message)> Validate(string keyPrefix = "")
    {
        if (string.IsNullOrWhiteSpace(Organization))
        {
            yield return (keyPrefix + "organization", "give the organization's address, e.g. \"https://dev.azure.com/contoso\".");
        }
        else if (!Uri.TryCreate(Organization, UriKind.Absolute, out var organization) || (organization.Scheme != Uri.UriSchemeHttps && organization.Scheme != Uri.UriSchemeHttp))
        {
            yield return (keyPrefix + "organization", $"'{Organization}' is not an absolute https address; give the organization's address, e.g. \"https://dev.azure.com/contoso\".");
        }
        else if (Transport.Problem(organization) is { } problem)
        {
            yield return (keyPrefix + "organization", $"'{Organization}' {problem}.");
        }
        else if (!string.IsNullOrEmpty(organization.Query) || !string.IsNullOrEmpty(organization.Fragment) || !string.IsNullOrEmpty(organization.UserInfo))
        {
            yield return (keyPrefix + "organization", $"'{Organization}' has a query, fragment or user name; give only the organization's address, e.g. \"https://dev.azure.com/contoso\" (the token comes from an environment variable).");
        }

        if (string.IsNullOrWhiteSpace(Project))
        {
            yield return (keyPrefix + "project", "give the project's name or id.");
        }
        else if (Project.Contains('/', StringComparison.Ordinal) || Project.Contains('\\', StringComparison.Ordinal))
        {
            yield return (keyPrefix + "project", $"'{Project}' is not a project name (it holds a slash); give the project alone and the organization in organization.");
        }

        if (PipelineId <= 0)
        {
            yield return (keyPrefix + "pipelineId", "give the pipeline's id, a positive number: the definitionId in the pipeline's web address.");
        }

        foreach (var name in (TemplateParameters ?? new Dictionary<string, string>()).Keys.Where(string.IsNullOrWhiteSpace))
        {
            yield return ($"{keyPrefix}templateParameters.{name}", "a template parameter needs a name.");
        }

        if (TokenVariable is not null && !EnvironmentName().IsMatch(TokenVariable))
        {
            yield return (keyPrefix + "tokenVariable", $"'{TokenVariable}' is not an environment variable name (a letter or '_', then letters, digits and '_'); name the variable that holds the token, never the token itself.");
        }

        if (SarifArtifact is not null && (string.IsNullOrWhiteSpace(SarifArtifact) || SarifArtifact.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) >= 0))
        {
            yield return (keyPrefix + "sarifArtifact", $"'{SarifArtifact}' is not a build artifact name; give the name the pipeline publishes its SARIF under (default {DefaultSarifArtifact}).");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
