using System.Collections.Concurrent;
using ReleaseCli.Rings.BuildValidation;

namespace ReleaseCli.Tests.BuildValidation;

/// <summary>Answers URL probes from a table and records what was asked.</summary>
internal sealed class FakeUrlProbe(Func<Uri, int?> answer) : IUrlProbe
{
    public ConcurrentBag<Uri> Asked { get; } = [];

    public Task<(int? Status, string? Error)> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        Asked.Add(url);
        var status = answer(url);
        return Task.FromResult(status is null ? ((int?)null, (string?)"connection refused") : (status, null));
    }
}
