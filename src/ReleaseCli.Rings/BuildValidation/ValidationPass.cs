using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Xml;
using ReleaseCli.Core.Contract;
using ReleaseCli.Rings.BuildValidation.Packages;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.SourceLink;
using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// The state of one walk over the inputs: each file is read once, each container opened once, and every
/// enabled check looks at each entry during that walk. What can only be decided once everything has been
/// seen (symbols, sidecar checksums, assets) is collected here and settled at the end.
/// </summary>
internal sealed class ValidationPass(ValidationOptions options, string temporaryDirectory)
{
    // A nuspec is read into a document; real ones are kilobytes, release notes included.
    private const long MaxNuspecBytes = 4 << 20;
    private const long MaxScriptBytes = 16 << 20;

    private readonly ConcurrentBag<Finding> _findings = [];
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(ValidationItem Item, byte[] Content)> _sidecars = [];
    private readonly ConcurrentDictionary<Guid, string> _portablePdbs = new();
    private readonly ConcurrentDictionary<(Guid Guid, int Age), string> _windowsPdbs = new();
    private readonly ConcurrentBag<(ValidationItem Item, PdbIdentity Pdb)> _symbolNeeds = [];
    private readonly ConcurrentDictionary<string, ValidationItem> _sourceLinkUrls = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(string Path, ValidationItem Item)> _binSkimInputs = [];
    private readonly ConcurrentDictionary<ValidationCheck, int> _checked = new();
    private readonly Lazy<PackageSignatureChecker> _packageSignatures = new(() => new PackageSignatureChecker(options.Signing));
    private long _entries;
    private long _bytes;
    private long _spooled;

    public IEnumerable<Finding> Findings => _findings;

    public IReadOnlyDictionary<string, string> Hashes => _hashes;

    public IEnumerable<(ValidationItem Item, byte[] Content)> Sidecars => _sidecars;

    public IReadOnlyDictionary<Guid, string> PortablePdbs => _portablePdbs;

    /// <summary>The Windows PDBs in the drop, by GUID and DBI age (what a CodeView record names).</summary>
    public IReadOnlyDictionary<(Guid Guid, int Age), string> WindowsPdbs => _windowsPdbs;

    public IEnumerable<(ValidationItem Item, PdbIdentity Pdb)> SymbolNeeds => _symbolNeeds;

    public IReadOnlyDictionary<string, ValidationItem> SourceLinkUrls => _sourceLinkUrls;

    public IEnumerable<(string Path, ValidationItem Item)> BinSkimInputs => _binSkimInputs;

    public long Entries => Interlocked.Read(ref _entries);

    public long Bytes => Interlocked.Read(ref _bytes);

    public int CheckedCount(ValidationCheck check) => _checked.GetValueOrDefault(check);

    /// <summary>
    /// Loads what signature checks share — the trusted roots, and NuGet's verifier and trust store when
    /// <paramref name="packages"/> — so that no file waits for it. What fails here fails again, and is
    /// reported, where a file needs it.
    /// </summary>
    public void LoadSigningTrust(bool packages)
    {
        var nuget = packages ? Task.Run(() => _packageSignatures.Value) : Task.CompletedTask;
        CertificateTrust.LoadRoots(options.Signing);
        CertificateTrust.WarmChainBuilder(options.Signing);
        nuget.GetAwaiter().GetResult();
    }

    public void Add(Finding finding) => _findings.Add(finding);

    public void Counted(ValidationCheck check) => _checked.AddOrUpdate(check, 1, (_, n) => n + 1);

    public async Task ProcessAsync(ValidationInput input, CancellationToken cancellationToken)
    {
        var file = new FileInfo(input.FullPath);
        if (file.LinkTarget is { } target)
        {
            // Followed, a link could lead the checks outside the folder, or show them one file under another's name.
            Add(new ValidationItem(input.DisplayPath, input.DisplayPath, file.Name, [], input.Asset, input.Build)
                .Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, FirstWalkCheck(), $"a symbolic link (to '{target}'), which is not followed: ship the file itself"));
            return;
        }

        if (!file.Exists)
        {
            return;
        }

        Interlocked.Add(ref _bytes, file.Length);
        var item = new ValidationItem(input.DisplayPath, input.DisplayPath, file.Name, [], input.Asset, input.Build)
        {
            Budget = new InflationBudget(Math.Max(options.MinInflationBudget, file.Length * options.MaxInflationRatio)),
        };
        // Only the checksum check needs each file's SHA-512.
        var hashing = options.Runs(ValidationCheck.Checksum);
        Stream content;
        string? sha512 = null;
        if (file.Length <= options.MaxBufferedBytes)
        {
            PooledBufferStream buffer;
            // An empty file is not opened: a named pipe or a device also says it is empty, and would block the open for ever.
            var stream = file.Length == 0 ? Stream.Null : new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                buffer = await PooledBufferStream.ReadAsync(stream, (int)file.Length, cancellationToken).ConfigureAwait(false);
            }

            sha512 = hashing ? Convert.ToHexStringLower(SHA512.HashData(buffer.Contents)) : null;
            content = buffer;
        }
        else
        {
            sha512 = hashing ? await DropHasher.Sha512Async(file.FullName, cancellationToken).ConfigureAwait(false) : null;
            content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }

        await using (content.ConfigureAwait(false))
        {
            if (sha512 is not null)
            {
                _hashes[input.DisplayPath] = sha512;
            }

            if (sha512 is not null && input.Asset is { } asset)
            {
                Counted(ValidationCheck.Checksum);
                if (file.Length != asset.Size || !string.Equals(sha512, asset.Sha512, StringComparison.OrdinalIgnoreCase))
                {
                    Add(item.Finding(RuleIds.ChecksumMismatch, FindingSeverity.Error, ValidationCheck.Checksum, $"the file is {file.Length} bytes with SHA-512 {sha512[..16]}…, but the contract sealed {asset.Size} bytes with SHA-512 {asset.Sha512[..Math.Min(16, asset.Sha512.Length)]}…; the drop changed after prep: gather it again with `release prep`"));
                }
            }

            if (ItemClassifier.Classify(file.Name) == ItemKind.Checksum && file.Length <= 4096)
            {
                content.Position = 0;
                var text = new byte[file.Length];
                content.ReadExactly(text);
                _sidecars.Add((item, text));
                return;
            }

            try
            {
                await ProcessItemAsync(item, content, depth: 0, cancellationToken).ConfigureAwait(false);
            }
            catch (InflationLimitException ex)
            {
                // What was found before the limit stays; nothing after it was looked at.
                Add(item.Finding(RuleIds.InflationLimit, FindingSeverity.Error, FirstWalkCheck(), $"{ex.Message} ({options.MaxInflationRatio} times its size, and at least {options.MinInflationBudget:N0}): a decompression bomb, or content that cannot ship like this; the rest of the file is not checked"));
            }
        }
    }

    private async Task ProcessItemAsync(ValidationItem item, Stream content, int depth, CancellationToken cancellationToken)
    {
        var kind = ItemClassifier.Classify(item.Name);
        switch (kind)
        {
            case ItemKind.Package or ItemKind.SymbolPackage:
                await ProcessPackageAsync(item with { PackagePath = item.VirtualPath }, content, kind, depth, cancellationToken).ConfigureAwait(false);
                break;
            case ItemKind.Zip:
                if (options.Runs(ValidationCheck.Signing) && options.Signing.Exclusions.DoNotUnpack(item))
                {
                    break;
                }

                await WalkZipAsync(item, content, kind, depth, nuspec: null, cancellationToken).ConfigureAwait(false);
                break;
            case ItemKind.TarGz:
                if (options.Runs(ValidationCheck.Signing) && options.Signing.Exclusions.DoNotUnpack(item))
                {
                    break;
                }

                await WalkTarGzAsync(item, content, depth, cancellationToken).ConfigureAwait(false);
                break;
            case ItemKind.PortableExecutable:
                ProcessPortableExecutable(item, content);
                break;
            case ItemKind.Pdb:
                ProcessPdb(item, content);
                break;
            case ItemKind.Script when options.Runs(ValidationCheck.Signing):
                ProcessScript(item, content);
                break;
            case ItemKind.UnsupportedSignable when options.Runs(ValidationCheck.Signing):
                Counted(ValidationCheck.Signing);
                if (options.Signing.Exclusions.Excluding(item) is null)
                {
                    Add(item.Finding(RuleIds.Unsupported, FindingSeverity.Warning, ValidationCheck.Signing, $"unsupported: {Path.GetExtension(item.Name)} files can carry signatures this tool does not verify; check it with the platform's own tool or list it in the exclusions file"));
                }

                break;
        }
    }

    private async Task ProcessPackageAsync(ValidationItem item, Stream content, ItemKind kind, int depth, CancellationToken cancellationToken)
    {
        if (options.Runs(ValidationCheck.Signing) && kind == ItemKind.Package)
        {
            Counted(ValidationCheck.Signing);
            if (options.Signing.Exclusions.Excluding(item) is null)
            {
                SignatureVerdict verdict;
                try
                {
                    verdict = await _packageSignatures.Value.VerifyAsync(content, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or System.Security.Cryptography.CryptographicException or NuGet.Packaging.Signing.SignatureException or IOException or XmlException)
                {
                    verdict = new SignatureVerdict(SignatureStatus.Malformed, ex.Message);
                }

                AddPackageSignatureFinding(item, verdict);
            }
        }

        var nuspec = options.Runs(ValidationCheck.Packages) ? new NuspecHolder() : null;
        await WalkZipAsync(item, content, kind, depth, nuspec, cancellationToken).ConfigureAwait(false);
        if (nuspec is { Readable: true })
        {
            Counted(ValidationCheck.Packages);
            if (nuspec.Info is null)
            {
                Add(item.Finding(RuleIds.PackageNoNuspec, FindingSeverity.Error, ValidationCheck.Packages, "the package has no .nuspec at its root; it is not a valid NuGet package: pack it with `dotnet pack`"));
            }
            else
            {
                var stable = options.Release?.Stable ?? false;
                foreach (var (rule, message) in PackageRulesChecker.Check(nuspec.Info, options.Packages, item, stable, kind == ItemKind.SymbolPackage))
                {
                    Add(item.Finding(rule, FindingSeverity.Error, ValidationCheck.Packages, message));
                }
            }
        }
    }

    private void AddPackageSignatureFinding(ValidationItem item, SignatureVerdict verdict)
    {
        var rule = verdict.Status switch
        {
            SignatureStatus.Valid => null,
            SignatureStatus.Unsigned => RuleIds.PackageUnsigned,
            SignatureStatus.DigestMismatch => RuleIds.PackageTampered,
            SignatureStatus.Untrusted => RuleIds.PackageUntrusted,
            SignatureStatus.UnexpectedSigner => RuleIds.PackageUnexpectedSigner,
            _ => RuleIds.PackageBadSignature,
        };
        if (rule is not null)
        {
            var advice = verdict.Status switch
            {
                SignatureStatus.Unsigned => "sign it (`dotnet nuget sign` or the signing service) before it ships",
                SignatureStatus.DigestMismatch => "the package changed after it was signed: take it again from the build, do not ship this copy",
                SignatureStatus.Untrusted => "add its signer to signing-validation's packageSigners (with allowUntrustedRoot for a private root) or its root to trustedRoots, if it is meant to be trusted",
                _ => "re-sign the package",
            };
            Add(item.Finding(rule, FindingSeverity.Error, ValidationCheck.Signing, $"{verdict.Detail}; {advice}"));
        }
    }

    private async Task WalkZipAsync(ValidationItem item, Stream content, ItemKind kind, int depth, NuspecHolder? nuspec, CancellationToken cancellationToken)
    {
        var structureCheck = kind is ItemKind.Package or ItemKind.SymbolPackage && options.Runs(ValidationCheck.Packages) ? ValidationCheck.Packages : FirstWalkCheck();
        ZipArchive? archive = null;
        try
        {
            content.Position = 0;
            archive = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            // The central directory is read on first use: read it here, where damage is a finding.
            _ = archive.Entries;
        }
        catch (InvalidDataException ex)
        {
            archive?.Dispose();
            Add(item.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, $"not a valid zip archive ({ex.Message}); the file is damaged or not what its name says"));
            return;
        }

        if (nuspec is not null)
        {
            nuspec.Readable = true;
        }

        using (archive)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in archive.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                Interlocked.Increment(ref _entries);
                if (DropPaths.Check(entry.FullName) is { } unsafeReason)
                {
                    Add(item.Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, structureCheck, $"the entry '{entry.FullName}' is refused: {unsafeReason}; an archive entry must be a plain relative path (zip-slip)"));
                    continue;
                }

                if (!names.Add(entry.FullName))
                {
                    Add(item.Finding(RuleIds.DuplicateEntry, FindingSeverity.Error, structureCheck, $"the entry '{entry.FullName}' appears more than once; tools disagree on which copy they read"));
                    continue;
                }

                if (nuspec is not null && !entry.FullName.Contains('/', StringComparison.Ordinal) && entry.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                {
                    var manifest = item.Child(entry.FullName);
                    if (entry.Length > MaxNuspecBytes)
                    {
                        Add(manifest.Finding(RuleIds.PackageBadNuspec, FindingSeverity.Error, ValidationCheck.Packages, $"the nuspec is {entry.Length:N0} bytes, more than any package manifest needs ({MaxNuspecBytes:N0}); it is not read"));
                        nuspec.Readable = false;
                        continue;
                    }

                    try
                    {
                        var stream = manifest.Inflating(entry.Open());
                        await using (stream.ConfigureAwait(false))
                        {
                            nuspec.Info = NuspecInfo.Parse(stream);
                        }
                    }
                    catch (XmlException ex)
                    {
                        Add(manifest.Finding(RuleIds.PackageBadNuspec, FindingSeverity.Error, ValidationCheck.Packages, $"the nuspec cannot be read: {ex.Message}"));
                        nuspec.Readable = false;
                    }
                    catch (InvalidDataException ex)
                    {
                        Add(manifest.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, Damaged(ex)));
                        nuspec.Readable = false;
                    }

                    continue;
                }

                var child = item.Child(entry.FullName);
                if (await SettledWithoutContentAsync(child, depth, structureCheck, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                Stream buffered;
                try
                {
                    // Opening reads the entry's local header, which can be damaged too.
                    var entryStream = child.Inflating(entry.Open());
                    await using (entryStream.ConfigureAwait(false))
                    {
                        buffered = await BufferAsync(entryStream, entry.Length, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (InvalidDataException ex)
                {
                    Add(child.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, Damaged(ex)));
                    continue;
                }

                await using (buffered.ConfigureAwait(false))
                {
                    await ProcessItemAsync(child, buffered, depth + 1, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task WalkTarGzAsync(ValidationItem item, Stream content, int depth, CancellationToken cancellationToken)
    {
        var structureCheck = FirstWalkCheck();
        content.Position = 0;
        var gzip = item.Inflating(new GZipStream(content, CompressionMode.Decompress, leaveOpen: true));
        await using (gzip.ConfigureAwait(false))
        {
            var reader = new TarReader(gzip, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                while (true)
                {
                    TarEntry? entry;
                    try
                    {
                        entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
                    {
                        Add(item.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, $"not a valid tar.gz archive ({ex.Message}); the file is damaged or not what its name says"));
                        return;
                    }

                    if (entry is null)
                    {
                        return;
                    }

                    if (entry.EntryType is TarEntryType.Directory)
                    {
                        continue;
                    }

                    Interlocked.Increment(ref _entries);
                    var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                    if (DropPaths.Check(name) is { } unsafeReason)
                    {
                        Add(item.Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, structureCheck, $"the entry '{entry.Name}' is refused: {unsafeReason}; an archive entry must be a plain relative path"));
                        continue;
                    }

                    if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    {
                        var target = entry.LinkName;
                        var resolved = entry.EntryType == TarEntryType.SymbolicLink && !target.StartsWith('/') ? CombineLink(name, target) : target;
                        if (DropPaths.Check(resolved) is { } linkReason)
                        {
                            Add(item.Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, structureCheck, $"the link '{name}' → '{target}' is refused: {linkReason}; links in an archive must stay inside it"));
                        }

                        continue;
                    }

                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                    {
                        continue;
                    }

                    var child = item.Child(name);
                    if (await SettledWithoutContentAsync(child, depth, structureCheck, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    Stream buffered;
                    try
                    {
                        buffered = await BufferAsync(entry.DataStream, entry.Length, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
                    {
                        // The compressed stream is broken here: nothing after this entry can be read either.
                        Add(child.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, Damaged(ex)));
                        return;
                    }

                    await using (buffered.ConfigureAwait(false))
                    {
                        await ProcessItemAsync(child, buffered, depth + 1, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>How System.Reflection.Metadata reports a damaged image or PDB: mostly a bad image, some as an overflow.</summary>
    private static bool IsDamagedMetadata(Exception ex) => ex is BadImageFormatException or OverflowException;

    private static string Damaged(Exception ex) =>
        $"the entry cannot be decompressed ({ex.Message}); the archive is damaged: build or download it again";

    private static string CombineLink(string linkPath, string target)
    {
        var folder = linkPath.Contains('/', StringComparison.Ordinal) ? linkPath[..linkPath.LastIndexOf('/')] : string.Empty;
        var parts = new List<string>();
        foreach (var segment in (folder.Length == 0 ? target : folder + "/" + target).Split('/'))
        {
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return "../" + target;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                parts.Add(segment);
            }
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    /// <summary>
    /// Settles an archive entry that needs none of its bytes — not checked, of a type nothing can
    /// verify, or nested too deep — and says whether it did; otherwise its bytes must be read.
    /// </summary>
    private async Task<bool> SettledWithoutContentAsync(ValidationItem child, int depth, ValidationCheck structureCheck, CancellationToken cancellationToken)
    {
        var kind = ItemClassifier.Classify(child.Name);
        if (kind is ItemKind.Other or ItemKind.Checksum)
        {
            return true;
        }

        if (kind == ItemKind.PortableExecutable && !NeedsPortableExecutableContent(child))
        {
            if (options.Runs(ValidationCheck.Signing))
            {
                Counted(ValidationCheck.Signing);
            }

            return true;
        }

        if (kind == ItemKind.Pdb && !options.Runs(ValidationCheck.Symbols) && !options.Runs(ValidationCheck.SourceLink))
        {
            return true;
        }

        // These are settled by their kind and name alone: an excluded script is counted, not read.
        if (kind == ItemKind.UnsupportedSignable || (kind == ItemKind.Script && (!options.Runs(ValidationCheck.Signing) || options.Signing.Exclusions.Excluding(child) is not null)))
        {
            await ProcessItemAsync(child, Stream.Null, depth + 1, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (depth + 1 > options.MaxDepth)
        {
            Add(child.Finding(RuleIds.TooDeep, FindingSeverity.Error, structureCheck, $"containers are nested more than {options.MaxDepth} deep; not opened"));
            return true;
        }

        return false;
    }

    /// <summary>Whether a PE file's bytes are needed: to verify its signature (not excluded), or for symbols, SourceLink or BinSkim.</summary>
    private bool NeedsPortableExecutableContent(ValidationItem item) =>
        options.Runs(ValidationCheck.Symbols) || options.Runs(ValidationCheck.SourceLink)
        || (options.Runs(ValidationCheck.BinSkim) && options.BinSkimPath is not null)
        || (options.Runs(ValidationCheck.Signing) && options.Signing.Exclusions.Excluding(item) is null);

    /// <summary>
    /// An entry as a seekable stream: in a pooled buffer it is read (inflated) into directly, up to the
    /// limit; otherwise in a temporary file deleted on close.
    /// </summary>
    private async Task<Stream> BufferAsync(Stream source, long declaredLength, CancellationToken cancellationToken)
    {
        if (declaredLength >= 0 && declaredLength <= options.MaxBufferedBytes)
        {
            var buffer = await PooledBufferStream.ReadAsync(source, (int)declaredLength, cancellationToken).ConfigureAwait(false);
            if (buffer.Length == declaredLength)
            {
                return buffer;
            }

            // The archive declared a size its data does not have: keep what is there, whatever its length.
            var memory = new MemoryStream();
            await using (buffer.ConfigureAwait(false))
            {
                await buffer.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            }

            await source.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            memory.Position = 0;
            return memory;
        }

        Directory.CreateDirectory(temporaryDirectory);
        var path = Path.Combine(temporaryDirectory, $"entry-{Interlocked.Increment(ref _spooled)}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        return file;
    }

    private void ProcessPortableExecutable(ValidationItem item, Stream content)
    {
        PeLayout? layout;
        try
        {
            layout = PeLayout.TryRead(content);
        }
        catch (EndOfStreamException)
        {
            layout = null;
        }

        if (layout is null)
        {
            if (options.Runs(ValidationCheck.Signing))
            {
                Counted(ValidationCheck.Signing);
                Add(item.Finding(RuleIds.AuthenticodeMalformedSignature, FindingSeverity.Error, ValidationCheck.Signing, "named like a PE file but its headers are not a valid PE image; it cannot be signed or loaded"));
            }

            return;
        }

        if (options.Runs(ValidationCheck.Signing))
        {
            Counted(ValidationCheck.Signing);
            var exclusion = options.Signing.Exclusions.Excluding(item);
            if (exclusion is null)
            {
                var verdict = AuthenticodeVerifier.Verify(content, layout, options.Signing);
                AddAuthenticodeFinding(item, verdict);
            }
        }

        if (options.Runs(ValidationCheck.BinSkim) && options.BinSkimPath is not null)
        {
            CollectForBinSkim(item, content);
        }

        if (!options.Runs(ValidationCheck.Symbols) && !options.Runs(ValidationCheck.SourceLink))
        {
            return;
        }

        content.Position = 0;
        try
        {
            using var pe = new PEReader(content, PEStreamOptions.LeaveOpen | PEStreamOptions.PrefetchEntireImage);
            var debug = PeDebugInfo.Read(pe);
            if (options.Runs(ValidationCheck.Symbols) && item.Shipping && !debug.IsReferenceAssembly && !IsUnderReferenceFolder(item))
            {
                Counted(ValidationCheck.Symbols);
                if (debug.Pdb is null)
                {
                    Add(item.Finding(RuleIds.SymbolsNoDebugRecord, FindingSeverity.Error, ValidationCheck.Symbols, "the PE file has no CodeView debug record, so no PDB can be matched to it; build it with DebugType portable or embedded"));
                }
                else if (!debug.HasEmbeddedPdb)
                {
                    _symbolNeeds.Add((item, debug.Pdb));
                }
            }

            if (options.Runs(ValidationCheck.SourceLink) && debug.HasEmbeddedPdb)
            {
                var entry = pe.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
                using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
                CheckSourceLink(item, provider.GetMetadataReader());
            }
        }
        catch (Exception ex) when (IsDamagedMetadata(ex))
        {
            var check = options.Runs(ValidationCheck.Symbols) ? ValidationCheck.Symbols : ValidationCheck.SourceLink;
            Add(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, check, $"the PE file's debug directory cannot be read: {ex.Message}"));
        }
    }

    private void ProcessScript(ValidationItem item, Stream content)
    {
        Counted(ValidationCheck.Signing);
        if (options.Signing.Exclusions.Excluding(item) is not null)
        {
            return;
        }

        if (content.Length > MaxScriptBytes)
        {
            Add(item.Finding(RuleIds.AuthenticodeMalformedSignature, FindingSeverity.Error, ValidationCheck.Signing, $"a PowerShell script of {content.Length:N0} bytes, more than the {MaxScriptBytes:N0} this reads; check its signature with the platform's own tool or list it in the exclusions file"));
            return;
        }

        var bytes = new byte[content.Length];
        content.Position = 0;
        content.ReadExactly(bytes);
        AddAuthenticodeFinding(item, AuthenticodeVerifier.VerifyScript(bytes, options.Signing));
    }

    private static bool IsUnderReferenceFolder(ValidationItem item) =>
        item.PackagePath is { } package && item.VirtualPath.Length > package.Length + 1
        && item.VirtualPath[(package.Length + 1)..].StartsWith("ref/", StringComparison.OrdinalIgnoreCase);

    private void AddAuthenticodeFinding(ValidationItem item, SignatureVerdict verdict)
    {
        var (rule, advice) = verdict.Status switch
        {
            SignatureStatus.Valid => (null, null),
            SignatureStatus.Unsigned => (RuleIds.AuthenticodeUnsigned, "sign it before it ships, or list it with DO-NOT-SIGN in the exclusions file if it must stay unsigned"),
            SignatureStatus.DigestMismatch => (RuleIds.AuthenticodeDigestMismatch, "take the file again from the signed build output; this copy must not ship"),
            SignatureStatus.BadSignature => (RuleIds.AuthenticodeBadSignature, "re-sign the file"),
            SignatureStatus.Untrusted => (RuleIds.AuthenticodeUntrusted, "if the signer is meant to be trusted, add its root to signing-validation's trustedRoots or trustedRootFingerprints"),
            SignatureStatus.UnexpectedSigner => (RuleIds.AuthenticodeUnexpectedSigner, "sign it with the release's certificate, or add the signer to expectedSigners"),
            _ => (RuleIds.AuthenticodeMalformedSignature, "re-sign the file"),
        };
        if (rule is not null)
        {
            Add(item.Finding(rule, FindingSeverity.Error, ValidationCheck.Signing, $"{verdict.Detail}; {advice}"));
        }
    }

    private void ProcessPdb(ValidationItem item, Stream content)
    {
        if (!options.Runs(ValidationCheck.Symbols) && !options.Runs(ValidationCheck.SourceLink))
        {
            return;
        }

        Span<byte> magic = stackalloc byte[32];
        content.Position = 0;
        var read = content.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (WindowsPdb.IsWindowsPdb(magic[..read]))
        {
            // SourceLink in a Windows PDB (its "sourcelink" named stream) is not read.
            try
            {
                var pdb = WindowsPdb.Read(content);
                _windowsPdbs.TryAdd((pdb.Guid, pdb.Age), item.VirtualPath);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
            {
                if (options.Runs(ValidationCheck.Symbols))
                {
                    Add(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, ValidationCheck.Symbols, $"the Windows PDB cannot be read: {ex.Message}"));
                }
            }

            return;
        }

        if (read < 4 || !magic[..4].SequenceEqual("BSJB"u8))
        {
            return;
        }

        content.Position = 0;
        try
        {
            using var provider = MetadataReaderProvider.FromPortablePdbStream(content, MetadataStreamOptions.LeaveOpen | MetadataStreamOptions.PrefetchMetadata);
            var reader = provider.GetMetadataReader();
            var id = reader.DebugMetadataHeader?.Id ?? default;
            if (id.Length >= 16)
            {
                _portablePdbs.TryAdd(new Guid(id.AsSpan(0, 16)), item.VirtualPath);
            }

            if (options.Runs(ValidationCheck.SourceLink))
            {
                CheckSourceLink(item, reader);
            }
        }
        catch (Exception ex) when (IsDamagedMetadata(ex))
        {
            var check = options.Runs(ValidationCheck.Symbols) ? ValidationCheck.Symbols : ValidationCheck.SourceLink;
            Add(item.Finding(RuleIds.SymbolsUnreadablePdb, FindingSeverity.Error, check, $"the portable PDB cannot be read: {ex.Message}"));
        }
    }

    private void CheckSourceLink(ValidationItem item, MetadataReader pdb)
    {
        Counted(ValidationCheck.SourceLink);
        var urls = options.SourceLinkOnline ? new List<string>() : null;
        foreach (var (rule, message) in SourceLinkChecker.Check(pdb, item.Build?.Repository, item.Build?.Commit, urls))
        {
            Add(item.Finding(rule, FindingSeverity.Error, ValidationCheck.SourceLink, message));
        }

        foreach (var url in urls ?? [])
        {
            _sourceLinkUrls.TryAdd(url, item);
        }
    }

    private void CollectForBinSkim(ValidationItem item, Stream content)
    {
        var folder = Path.Combine(temporaryDirectory, "binskim", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, item.Name);
        content.Position = 0;
        using (var file = File.Create(path))
        {
            content.CopyTo(file);
        }

        _binSkimInputs.Add((path, item));
    }

    private ValidationCheck FirstWalkCheck() =>
        options.Runs(ValidationCheck.Signing) ? ValidationCheck.Signing : options.Checks.Order().First();

    private sealed class NuspecHolder
    {
        public NuspecInfo? Info { get; set; }

        public bool Readable { get; set; }
    }
}
