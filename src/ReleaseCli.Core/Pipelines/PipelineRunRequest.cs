namespace ReleaseCli.Core.Pipelines;

/// <summary>What to run: a pipeline at one commit, with the values of its template parameters.</summary>
/// <param name="Pipeline">The pipeline to queue.</param>
/// <param name="Commit">The commit of the pipeline's own repository to run on; null: the newest commit of <paramref name="RefName"/>.</param>
/// <param name="RefName">The branch or tag holding <paramref name="Commit"/> (e.g. <c>refs/heads/release/9.0</c>); null: the pipeline's default branch.</param>
public sealed record PipelineRunRequest(PipelineReference Pipeline, string? Commit, string? RefName = null)
{
    /// <summary>What the run is of, for messages: the commit, else the branch, else the default branch.</summary>
    public string Revision => Commit ?? RefName ?? "its default branch";

    /// <summary>
    /// The template parameter that carries <see cref="RequestKey"/>. A pipeline queued with a key declares it in its
    /// YAML (<c>parameters: [{ name: releaseRequestKey, type: string, default: '' }]</c>).
    /// </summary>
    public const string RequestKeyParameter = "releaseRequestKey";

    /// <summary>
    /// What identifies this request across runs of the tool (the same key for the same release, contract, step, leg
    /// and input). Sent as the template parameter <see cref="RequestKeyParameter"/>, so a later run that never
    /// recorded the run's id (it was killed in between) finds it with <see cref="IPipelineRunner.FindRunsAsync"/>
    /// instead of queuing another. Null: no key is sent.
    /// </summary>
    public string? RequestKey { get; init; }

    /// <summary>Values for the parameters the pipeline's YAML declares (<c>parameters:</c>), by name.</summary>
    public IReadOnlyDictionary<string, string> TemplateParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
