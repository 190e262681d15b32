namespace ReleaseCli.Rings.Publishing;

/// <summary>The settings of a <c>cdn-validate</c> step (docs/publish.md).</summary>
public sealed record CdnValidateSettings
{
    /// <summary>The public URL the published names are served under: https, http to this machine, or file:&lt;folder&gt;.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>How long to keep asking for files not served yet; default 300 seconds.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The first pause between rounds (doubling up to 30 s); default 2 seconds.</summary>
    public double? FirstPauseSeconds { get; init; }

    /// <summary>How many files are requested at once; default 8.</summary>
    public int? Parallelism { get; init; }
}
