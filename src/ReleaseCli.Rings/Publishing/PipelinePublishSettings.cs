namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>pipeline-publish</c> step (docs/publish.md).</summary>
public sealed record PipelinePublishSettings
{
    /// <summary>The targets, each queued as one run of its own pipeline.</summary>
    public IReadOnlyList<PipelinePublishTarget>? Targets { get; init; }

    /// <summary>
    /// The public address the release's files are served from (e.g. <c>https://builds.contoso.com/runtime/{version}/</c>);
    /// each file's address is this plus its name. Null: the files are sent without addresses.
    /// </summary>
    public string? FilesBaseUrl { get; init; }
}
