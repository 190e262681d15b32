using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReleaseCli.Rings.BuildValidation.Symbols;

/// <summary>
/// The symbol check: every shipping PE file (reference assemblies aside) names a PDB in its CodeView
/// record, and that PDB is embedded, in the drop (portable or Windows, matched by identity), or on the
/// symbol server. Which PDBs the drop holds is known only after the walk, so PE files are matched then.
/// It also reports damaged debug directories and PDBs, for SourceLink too when both run.
/// </summary>
internal sealed class SymbolsCheck(Uri? symbolServer, IUrlProbe probe, ILogger logger) : DebugInformationCheck
{
    private readonly ConcurrentDictionary<Guid, string> _portablePdbs = new();
    private readonly ConcurrentDictionary<(Guid Guid, int Age), string> _windowsPdbs = new();
    private readonly ConcurrentBag<(ValidationItem Item, PdbIdentity Pdb)> _needs = [];

    public override ValidationCheck Check => ValidationCheck.Symbols;

    protected override string CountedThings => "shipping PE file(s)";

    protected override string Scope => "a shipping PE file (reference assemblies are not checked)";

    protected override void InspectPortableExecutable(ItemContent content)
    {
        var item = content.Item;
        var (debug, damage) = content.DebugDirectory;
        if (debug is null)
        {
            Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, Check, $"the PE file's debug directory cannot be read: {damage?.Message}"));
            return;
        }

        if (!item.Shipping || debug.IsReferenceAssembly || IsUnderReferenceFolder(item))
        {
            return;
        }

        Count();
        if (debug.Pdb is null)
        {
            Report(item.Finding(RuleIds.SymbolsNoDebugRecord, FindingSeverity.Error, Check, "the PE file has no CodeView debug record, so no PDB can be matched to it; build it with DebugType portable or embedded"));
        }
        else if (!debug.HasEmbeddedPdb)
        {
            _needs.Add((item, debug.Pdb));
        }
    }

    protected override void InspectPdb(ItemContent content)
    {
        var item = content.Item;
        Span<byte> magic = stackalloc byte[32];
        content.Stream.Position = 0;
        var read = content.Stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (WindowsPdb.IsWindowsPdb(magic[..read]))
        {
            // SourceLink in a Windows PDB (its "sourcelink" named stream) is not read.
            try
            {
                var pdb = WindowsPdb.Read(content.Stream);
                _windowsPdbs.TryAdd((pdb.Guid, pdb.Age), item.VirtualPath);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
            {
                Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, Check, $"the Windows PDB cannot be read: {ex.Message}"));
            }

            return;
        }

        var (reader, damage) = content.PortablePdb;
        try
        {
            if (reader?.DebugMetadataHeader?.Id is { IsDefault: false, Length: >= 16 } id)
            {
                _portablePdbs.TryAdd(new Guid(id.AsSpan(0, 16)), item.VirtualPath);
            }
        }
        catch (Exception ex) when (ItemContent.IsDamagedMetadata(ex))
        {
            damage = ex;
        }

        if (damage is not null)
        {
            Report(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, Check, $"the portable PDB cannot be read: {damage.Message}"));
        }
    }

    private static bool IsUnderReferenceFolder(ValidationItem item) =>
        item.PackagePath is { } package && item.VirtualPath.Length > package.Length + 1
        && item.VirtualPath[(package.Length + 1)..].StartsWith("ref/", StringComparison.OrdinalIgnoreCase);

    public override async Task SettleAsync(IReadOnlyList<ValidationInput> inputs, CancellationToken cancellationToken)
    {
        var serverAnswers = new Dictionary<string, (int? Status, string? Error)>(StringComparer.Ordinal);
        foreach (var (item, pdb) in _needs.OrderBy(n => n.Item.VirtualPath, StringComparer.Ordinal))
        {
            if (pdb.IsPortable ? _portablePdbs.ContainsKey(pdb.Guid) : _windowsPdbs.ContainsKey((pdb.Guid, pdb.Age)))
            {
                continue;
            }

            if (symbolServer is null)
            {
                Report(item.Finding(RuleIds.SymbolsMissing, FindingSeverity.Error, Check, $"its PDB {pdb.FileName} (key {pdb.Key}) is not in any symbol package of the drop and not embedded, and no symbol server is configured; ship the .snupkg (or set symbol-validation's symbolServer)"));
                continue;
            }

            if (!serverAnswers.TryGetValue(pdb.Key, out var answer))
            {
                answer = await probe.ProbeAsync(new Uri(symbolServer, pdb.Key), cancellationToken).ConfigureAwait(false);
                serverAnswers[pdb.Key] = answer;
                logger.LogDebug("symbol server {Key}: {Status} {Error}", pdb.Key, answer.Status, answer.Error);
            }

            if (answer.Status is >= 200 and < 300)
            {
                continue;
            }

            Report(answer.Status is 404 or 410
                ? item.Finding(RuleIds.SymbolsMissing, FindingSeverity.Error, Check, $"its PDB {pdb.FileName} (key {pdb.Key}) is not in any symbol package of the drop, not embedded, and not on {symbolServer} (HTTP {answer.Status}); publish the PDB or ship its .snupkg")
                : item.Finding(RuleIds.SymbolsServerError, FindingSeverity.Error, Check, $"its PDB {pdb.FileName} (key {pdb.Key}) is not in the drop and {symbolServer} could not say whether it has it ({answer.Error ?? $"HTTP {answer.Status}"}); check the symbol server URL and run again"));
        }
    }
}
