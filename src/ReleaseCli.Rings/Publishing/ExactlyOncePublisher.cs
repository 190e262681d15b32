using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Puts items on a target exactly once, across crashes and re-runs. First it looks at the target: the same content
/// already there counts as published; different content under the same name stops the step before anything is
/// written, naming both digests. Then it records what it is about to write, writes each absent item only if it is
/// still absent, records what is there, and finally reads every item back from the target and records what
/// matched. A kill anywhere leaves at most items written but not yet recorded, which the next run finds with
/// the same content and records as already there: nothing is written twice, nothing is overwritten.
/// </summary>
public static class ExactlyOncePublisher
{
    public static async Task<PublishReport> PublishAsync(PublicationLog log, IPublishTarget target, IReadOnlyList<PublishItem> items, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var duplicate = items.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Refused(target, $"'{duplicate.Key}' is named by {duplicate.Count()} items ({string.Join(", ", duplicate.Select(i => i.Source ?? i.Sha512[..16]))}); each name on a target holds one file");
        }

        var found = await ForEachAsync(items, parallelism, async (item, ct) => (item, there: await target.ProbeAsync(item, ct).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        var problems = found.Where(f => f.there is not null && !SameDigest(f.there, f.item.Sha512))
            .Select(f => Different(target, f.item, f.there!))
            .ToList();
        if (problems.Count > 0)
        {
            return new PublishReport(target.Name, 0, 0, 0, problems);
        }

        var present = found.Where(f => f.there is not null).Select(f => f.item).ToList();
        var absent = found.Where(f => f.there is null).Select(f => f.item).ToList();
        await log.PublishedAsync([.. present.Select(i => Entry(target, i, PublicationOutcome.AlreadyPresent))], cancellationToken).ConfigureAwait(false);

        await log.IntendAsync([.. absent.Select(i => Entry(target, i, null))], cancellationToken).ConfigureAwait(false);
        var created = await ForEachAsync(absent, parallelism, async (item, ct) =>
        {
            if (await target.TryCreateAsync(item, ct).ConfigureAwait(false))
            {
                return new Creation(item, PublicationOutcome.Written, null);
            }

            // Someone wrote it between the look and the write: the same content is fine, other content is not.
            var there = await target.ProbeAsync(item, ct).ConfigureAwait(false);
            return there is not null && SameDigest(there, item.Sha512)
                ? new Creation(item, PublicationOutcome.AlreadyPresent, null)
                : new Creation(item, PublicationOutcome.AlreadyPresent, there is null ? $"'{item.Name}' on {target.Name} could not be created and is not there" : Different(target, item, there));
        }, cancellationToken).ConfigureAwait(false);
        problems.AddRange(created.Where(c => c.Problem is not null).Select(c => c.Problem!));
        var written = created.Where(c => c.Problem is null).ToList();
        await log.PublishedAsync([.. written.Select(c => Entry(target, c.Item, c.Outcome))], cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            return new PublishReport(target.Name, written.Count(c => c.Outcome == PublicationOutcome.Written), present.Count + written.Count(c => c.Outcome == PublicationOutcome.AlreadyPresent), 0, problems);
        }

        var readBack = await ForEachAsync(items, parallelism, async (item, ct) => (item, there: await target.ReadBackAsync(item, ct).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        var verified = readBack.Where(r => r.there is not null && SameDigest(r.there, r.item.Sha512)).Select(r => r.item).ToList();
        problems.AddRange(readBack.Where(r => r.there is null || !SameDigest(r.there, r.item.Sha512))
            .Select(r => r.there is null
                ? $"'{r.item.Name}' is missing from {target.Name} when read back"
                : $"'{r.item.Name}' on {target.Name} reads back as {target.DigestName} {Short(r.there)}, not {Short(r.item.Sha512)}"));
        await log.VerifiedAsync([.. verified.Select(i => Entry(target, i, PublicationOutcome.Verified))], cancellationToken).ConfigureAwait(false);
        return new PublishReport(
            target.Name,
            written.Count(c => c.Outcome == PublicationOutcome.Written),
            present.Count + written.Count(c => c.Outcome == PublicationOutcome.AlreadyPresent),
            verified.Count,
            problems);
    }

    private sealed record Creation(PublishItem Item, PublicationOutcome Outcome, string? Problem);

    private static PublishReport Refused(IPublishTarget target, string problem) => new(target.Name, 0, 0, 0, [problem]);

    private static string Different(IPublishTarget target, PublishItem item, string there) =>
        $"'{item.Name}' on {target.Name} holds other content ({target.DigestName} {Short(there)}) than this release's ({target.DigestName} {Short(item.Sha512)}); it is not overwritten — remove or rename it on the target if it is wrong, or change the layout";

    private static string Short(string sha512) => sha512.Length > 16 ? $"{sha512[..16]}…" : sha512;

    private static bool SameDigest(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static PublicationEntry Entry(IPublishTarget target, PublishItem item, PublicationOutcome? outcome) => new(target.Name, item.Name, item.Size, item.Sha512.ToLowerInvariant(), outcome);

    private static async Task<IReadOnlyList<T>> ForEachAsync<T>(IReadOnlyList<PublishItem> items, int parallelism, Func<PublishItem, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var results = new T[items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, ct) => results[index] = await action(items[index], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }
}
