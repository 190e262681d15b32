namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Requests published files through a public base URL and compares each one's SHA-512 with what was published,
/// asking again with growing pauses for those not there yet until a deadline (a CDN or a replica catching up).
/// </summary>
public static class PublishedFileCheck
{
    /// <summary>What is still missing or different when the time is up (empty: every file matched).</summary>
    public static async Task<IReadOnlyList<string>> WaitAsync(PublicUrlReader reader, Uri baseUrl, IReadOnlyList<PublishedFile> files, TimeSpan timeout, TimeSpan firstPause, int parallelism, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var pause = firstPause;
        var pending = files.ToList();
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var answers = new (PublishedFile File, string? Problem)[pending.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, pending.Count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (i, ct) => answers[i] = (pending[i], await ProblemOfAsync(reader, baseUrl, pending[i], ct).ConfigureAwait(false))).ConfigureAwait(false);
            pending = [.. answers.Where(a => a.Problem is not null).Select(a => a.File)];
            problems = answers.Where(a => a.Problem is not null).ToDictionary(a => a.File.Name, a => a.Problem!, StringComparer.Ordinal);
            var left = deadline - DateTimeOffset.UtcNow;
            if (pending.Count == 0 || left <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }

        return [.. problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];
    }

    private static async Task<string?> ProblemOfAsync(PublicUrlReader reader, Uri baseUrl, PublishedFile file, CancellationToken cancellationToken)
    {
        var url = PublicUrlReader.UrlOf(baseUrl, file.Name);
        var (sha512, problem) = await reader.ReadAsync(url, cancellationToken).ConfigureAwait(false);
        if (sha512 is null)
        {
            return $"{url}: {problem}";
        }

        return string.Equals(sha512, file.Sha512, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{url}: serves SHA-512 {sha512[..16]}…, not the published {file.Sha512[..16]}…";
    }
}
