namespace ReleaseCli.Rings.BuildValidation;

/// <summary>Asks whether a URL exists without downloading it (HEAD, falling back to a ranged GET).</summary>
public interface IUrlProbe
{
    /// <summary>The HTTP status code, or null with the reason when no answer came.</summary>
    Task<(int? Status, string? Error)> ProbeAsync(Uri url, CancellationToken cancellationToken);
}
