using System.Collections.Concurrent;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ReleaseCli.Rings.BuildValidation.SourceLink;

/// <summary>
/// The SourceLink check: every portable PDB, in the drop or embedded in a PE file, maps its documents
/// to the build's repository and commit; online, each distinct URL is also asked for once the walk is
/// done. A damaged debug directory or PDB is reported by the symbol check when it runs (one finding,
/// not two), otherwise here.
/// </summary>
internal sealed class SourceLinkCheck(bool online, bool symbolsRun, IUrlProbe probe) : DebugInformationCheck
{
    private readonly ConcurrentDictionary<string, ValidationItem> _urls = new(StringComparer.Ordinal);

    public override ValidationCheck Check => ValidationCheck.SourceLink;

    protected override string CountedThings => "portable PDB(s)";

    protected override string Scope => "a portable PDB (in a symbol package, or embedded in a PE file)";

    /// <summary>Which check a damaged debug directory or PDB counts for.</summary>
    private ValidationCheck DamageCheck => symbolsRun ? ValidationCheck.Symbols : Check;

    protected override void InspectPortableExecutable(ItemContent content)
    {
        var item = content.Item;
        var (debug, damage) = content.DebugDirectory;
        if (debug is null)
        {
            if (!symbolsRun)
            {
                Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, Check, $"the PE file's debug directory cannot be read: {damage?.Message}"));
            }

            return;
        }

        if (!debug.HasEmbeddedPdb)
        {
            return;
        }

        try
        {
            var pe = content.PortableExecutable;
            var entry = pe.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
            CheckSourceLink(item, provider.GetMetadataReader());
        }
        catch (Exception ex) when (ItemContent.IsDamagedMetadata(ex))
        {
            Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, DamageCheck, $"the PE file's debug directory cannot be read: {ex.Message}"));
        }
    }

    protected override void InspectPdb(ItemContent content)
    {
        var item = content.Item;
        var (reader, damage) = content.PortablePdb;
        if (reader is not null)
        {
            try
            {
                CheckSourceLink(item, reader);
            }
            catch (Exception ex) when (ItemContent.IsDamagedMetadata(ex))
            {
                Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, DamageCheck, $"the portable PDB cannot be read: {ex.Message}"));
            }
        }
        else if (damage is not null && !symbolsRun)
        {
            Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, Check, $"the portable PDB cannot be read: {damage.Message}"));
        }
    }

    private void CheckSourceLink(ValidationItem item, MetadataReader pdb)
    {
        Count();
        var urls = online ? new List<string>() : null;
        foreach (var (rule, message) in SourceLinkChecker.Check(pdb, item.Build?.Repository, item.Build?.Commit, urls))
        {
            Report(item.Finding(rule, FindingSeverity.Error, Check, message));
        }

        foreach (var url in urls ?? [])
        {
            _urls.TryAdd(url, item);
        }
    }

    public override async Task SettleAsync(IReadOnlyList<ValidationInput> inputs, CancellationToken cancellationToken)
    {
        if (!online)
        {
            return;
        }

        var failures = new Dictionary<ValidationItem, List<string>>();
        using var throttle = new SemaphoreSlim(4);
        var requests = _urls.Select(async pair =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var (status, error) = Uri.TryCreate(pair.Key, UriKind.Absolute, out var uri)
                    ? await probe.ProbeAsync(uri, cancellationToken).ConfigureAwait(false)
                    : (null, "not an absolute URL");
                return (pair.Key, pair.Value, Ok: status is >= 200 and < 300, Why: error ?? $"HTTP {status}");
            }
            finally
            {
                throttle.Release();
            }
        });
        foreach (var (url, item, ok, why) in await Task.WhenAll(requests).ConfigureAwait(false))
        {
            if (!ok)
            {
                if (!failures.TryGetValue(item, out var list))
                {
                    failures[item] = list = [];
                }

                list.Add($"{url} ({why})");
            }
        }

        foreach (var (item, list) in failures)
        {
            Report(item.Finding(RuleIds.SourceLinkUnreachable, FindingSeverity.Error, Check, $"{list.Count} SourceLink URL(s) did not answer, e.g. {string.Join(", ", list.Order(StringComparer.Ordinal).Take(3))}; the commit may not be pushed, or the repository is private"));
        }
    }
}
