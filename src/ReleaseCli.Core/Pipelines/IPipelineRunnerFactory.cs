namespace ReleaseCli.Core.Pipelines;

/// <summary>Makes the runner a step uses for the pipeline its settings name (registered by the integrations).</summary>
public interface IPipelineRunnerFactory
{
    /// <summary>A runner holding the credential for <paramref name="settings"/>' organization; settings are validated first.</summary>
    IPipelineRunner Create(AzureDevOpsPipelineSettings settings);
}
