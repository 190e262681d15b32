using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using ReleaseCli.Core.Contract;
using ReleaseCli.Rings.BuildValidation.Checksum;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// Walks the drop once for every check: each file is read once, each container (nupkg, zip, tar.gz)
/// opened once and its entries, and the entries of containers inside it, shown to every check. An item's
/// bytes are read only when a check needs them, and then once for all of them. The walker owns what
/// keeps the walk safe: entry paths that would escape (zip-slip) or repeat, links, nesting depth, and
/// decompression bombs; it reports those, attributed to the check whose verdict they belong in.
/// </summary>
internal sealed class ContainerWalker(ValidationOptions options, IReadOnlyList<DropCheck> checks, string temporaryDirectory)
{
    private readonly ConcurrentBag<Finding> _findings = [];
    private readonly bool _anyLooksInside = checks.Any(c => c.LooksInsideContainers);

    // The pass only hashes whole files (verify --checks checksum): a plain file is then read and hashed on a short path.
    private readonly ChecksumCheck? _onlyHashes = checks is [ChecksumCheck checksum] && !checksum.LooksInsideContainers ? checksum : null;
    private long _entries;
    private long _bytes;
    private long _spooled;

    public IEnumerable<Finding> Findings => _findings;

    public long Entries => Interlocked.Read(ref _entries);

    public long Bytes => Interlocked.Read(ref _bytes);

    public async Task WalkAsync(ValidationInput input, CancellationToken cancellationToken)
    {
        SafeFileHandle? opened = null;
        long length;
        if (DropFileHandle.RefusesLinks)
        {
            // Opened first, refusing a link: its size is then the open file's (an fstat), and nothing stats the path.
            opened = DropFileHandle.Open(input.FullPath, out var absence);
            if (opened is null)
            {
                if (absence == DropFileAbsence.Link)
                {
                    ReportLink(input);
                }

                return;
            }

            length = DropFileHandle.Length(opened);
        }
        else if (input.WalkedLength is { } walked)
        {
            // The walk of its folder saw a plain file of this size: not stat'ed again.
            length = walked;
        }
        else
        {
            var file = new FileInfo(input.FullPath);
            // A link is marked in the attributes (one lstat, which Exists and Length then reuse); only a link is read as one.
            if (file.Attributes.HasFlag(FileAttributes.ReparsePoint) && file.LinkTarget is not null)
            {
                ReportLink(input);
                return;
            }

            if (!file.Exists)
            {
                return;
            }

            length = file.Length;
        }

        using var handle = opened;
        Interlocked.Add(ref _bytes, length);
        if (_onlyHashes is not null && handle is not null && HashedPlainFile(_onlyHashes, input, handle, length))
        {
            return;
        }

        var name = Path.GetFileName(input.FullPath);
        var (item, kind) = Classified(new ValidationItem(input.DisplayPath, input.DisplayPath, name, [], input.Asset, input.Build)
        {
            Budget = new InflationBudget(Math.Max(options.MinInflationBudget, length * options.MaxInflationRatio)),
        });
        var needing = ChecksNeeding(item, kind, length);
        var opens = Opens(item, kind);
        if (needing is null && !opens)
        {
            return;
        }

        var content = ReadDropFile(input.FullPath, handle, length);
        if (content is null)
        {
            return;
        }

        await using (content.ConfigureAwait(false))
        {
            try
            {
                await VisitAsync(item, kind, content, needing, opens, depth: 0, cancellationToken).ConfigureAwait(false);
            }
            catch (InflationLimitException ex)
            {
                // What was found before the limit stays; nothing after it was looked at.
                _findings.Add(item.Finding(RuleIds.InflationLimit, FindingSeverity.Error, FirstWalkCheck(), $"{ex.Message} ({options.MaxInflationRatio} times its size, and at least {options.MinInflationBudget:N0}): a decompression bomb, or content that cannot ship like this; the rest of the file is not checked"));
            }
        }
    }

    /// <summary>
    /// A drop file that only needs hashing, hashed without the walk's machinery for checks that look at items (an item,
    /// its shared content, a stream over it): the file's bytes into a pooled buffer, the digest on the stack, kept by the
    /// checksum check. A file that is not plain for that check (one a contract sealed, a sidecar, one over the buffering
    /// limit) is false: the general walk takes it, and words any finding.
    /// </summary>
    private bool HashedPlainFile(ChecksumCheck checksum, ValidationInput input, SafeFileHandle handle, long length)
    {
        if (input.Asset is not null || input.FullPath.EndsWith(".sha512", StringComparison.OrdinalIgnoreCase) || length > options.MaxBufferedBytes)
        {
            return false;
        }

        // An empty file is not read: a named pipe or a device also says it is empty, and would block the read for ever.
        if (length == 0)
        {
            checksum.Hashed(input.DisplayPath, []);
            return true;
        }

        using var buffered = PooledBufferStream.ReadFile(handle, (int)length, options.MaxBufferedBytes);
        if (buffered is null)
        {
            return false;
        }

        checksum.Hashed(input.DisplayPath, buffered.Contents);
        return true;
    }

    /// <summary>Followed, a link could lead the checks outside the folder, or show them one file under another's name.</summary>
    private void ReportLink(ValidationInput input)
    {
        var name = Path.GetFileName(input.FullPath);
        var target = new FileInfo(input.FullPath).LinkTarget;
        _findings.Add(new ValidationItem(input.DisplayPath, input.DisplayPath, name, [], input.Asset, input.Build)
            .Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, FirstWalkCheck(), $"a symbolic link (to '{target}'), which is not followed: ship the file itself"));
    }

    /// <summary>
    /// A drop file as a seekable stream of all its bytes, however many it holds by now: in a pooled buffer up to the
    /// limit, otherwise the file itself (which then owns <paramref name="opened"/>); null when it is gone. It is opened
    /// here unless <paramref name="opened"/> already is.
    /// </summary>
    private Stream? ReadDropFile(string path, SafeFileHandle? opened, long length)
    {
        // An empty file is not read: a named pipe or a device also says it is empty, and would block the read (or its open) for ever.
        if (length == 0)
        {
            return PooledBufferStream.Empty();
        }

        var handle = opened ?? DropFileHandle.Open(path, out _);
        if (handle is null)
        {
            return null;
        }

        var owned = opened is null;
        try
        {
            if (length <= options.MaxBufferedBytes && PooledBufferStream.ReadFile(handle, (int)length, options.MaxBufferedBytes) is { } buffered)
            {
                return buffered;
            }

            // No access hint: the checksum check reads it through, the others jump to what they need (a zip's directory, a PE header).
            var stream = new FileStream(handle, FileAccess.Read, 1 << 16);
            owned = false;
            return stream;
        }
        finally
        {
            if (owned)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>An item and its kind; a package's entries know the package they are in.</summary>
    private static (ValidationItem Item, ItemKind Kind) Classified(ValidationItem item)
    {
        var kind = ItemClassifier.Classify(item.Name);
        return (kind is ItemKind.Package or ItemKind.SymbolPackage ? item with { PackagePath = item.VirtualPath } : item, kind);
    }

    /// <summary>Shows the item to every check by name; the checks that need its bytes, or null when none does.</summary>
    private List<DropCheck>? ChecksNeeding(ValidationItem item, ItemKind kind, long length)
    {
        List<DropCheck>? needing = null;
        foreach (var check in checks)
        {
            if (check.NeedsContent(item, kind, length))
            {
                (needing ??= []).Add(check);
            }
        }

        return needing;
    }

    /// <summary>
    /// Whether the walker opens this item: a container, unless the exclusions file says not to unpack it (packages are
    /// always opened), and only when a check of the pass looks inside containers.
    /// </summary>
    private bool Opens(ValidationItem item, ItemKind kind) => _anyLooksInside && kind switch
    {
        ItemKind.Package or ItemKind.SymbolPackage => true,
        ItemKind.Zip or ItemKind.TarGz => !(options.RingRuns(ValidationCheck.Signing) && options.Signing.Exclusions.DoNotUnpack(item)),
        _ => false,
    };

    private async Task VisitAsync(ValidationItem item, ItemKind kind, Stream content, List<DropCheck>? needing, bool opens, int depth, CancellationToken cancellationToken)
    {
        if (needing is not null)
        {
            using var shared = new ItemContent(item, kind, content);
            foreach (var check in needing)
            {
                await check.InspectAsync(shared, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!opens)
        {
            return;
        }

        var walked = kind == ItemKind.TarGz
            ? await WalkTarGzAsync(item, content, depth, cancellationToken).ConfigureAwait(false)
            : await WalkZipAsync(item, content, kind, depth, cancellationToken).ConfigureAwait(false);
        if (walked)
        {
            foreach (var check in checks)
            {
                check.ContainerWalked(item, kind);
            }
        }
    }

    /// <summary>Walks a zip (a package is one); false when it cannot be opened.</summary>
    private async Task<bool> WalkZipAsync(ValidationItem item, Stream content, ItemKind kind, int depth, CancellationToken cancellationToken)
    {
        var structureCheck = kind is ItemKind.Package or ItemKind.SymbolPackage && options.RingRuns(ValidationCheck.Packages) ? ValidationCheck.Packages : FirstWalkCheck();
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
            _findings.Add(item.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, $"not a valid zip archive ({ex.Message}); the file is damaged or not what its name says"));
            return false;
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
                    _findings.Add(item.Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, structureCheck, $"the entry '{entry.FullName}' is refused: {unsafeReason}; an archive entry must be a plain relative path (zip-slip)"));
                    continue;
                }

                if (!names.Add(entry.FullName))
                {
                    _findings.Add(item.Finding(RuleIds.DuplicateEntry, FindingSeverity.Error, structureCheck, $"the entry '{entry.FullName}' appears more than once; tools disagree on which copy they read"));
                    continue;
                }

                // Opening reads the entry's local header, which can be damaged too; a damaged entry does not stop the walk.
                var child = item.Child(entry.FullName);
                await VisitEntryAsync(child, entry.Length, () => child.Inflating(entry.Open()), closeAfterReading: true, depth, structureCheck, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    private async Task<bool> WalkTarGzAsync(ValidationItem item, Stream content, int depth, CancellationToken cancellationToken)
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
                        _findings.Add(item.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, $"not a valid tar.gz archive ({ex.Message}); the file is damaged or not what its name says"));
                        return true;
                    }

                    if (entry is null)
                    {
                        return true;
                    }

                    if (entry.EntryType is TarEntryType.Directory)
                    {
                        continue;
                    }

                    Interlocked.Increment(ref _entries);
                    var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                    if (DropPaths.Check(name) is { } unsafeReason)
                    {
                        _findings.Add(item.Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, structureCheck, $"the entry '{entry.Name}' is refused: {unsafeReason}; an archive entry must be a plain relative path"));
                        continue;
                    }

                    if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    {
                        var target = entry.LinkName;
                        var resolved = entry.EntryType == TarEntryType.SymbolicLink && !target.StartsWith('/') ? CombineLink(name, target) : target;
                        if (DropPaths.Check(resolved) is { } linkReason)
                        {
                            _findings.Add(item.Finding(RuleIds.UnsafeEntryPath, FindingSeverity.Error, structureCheck, $"the link '{name}' → '{target}' is refused: {linkReason}; links in an archive must stay inside it"));
                        }

                        continue;
                    }

                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is not { } data)
                    {
                        continue;
                    }

                    // The tar reader owns the entry's stream and moves past it to the next header.
                    if (!await VisitEntryAsync(item.Child(name), entry.Length, () => data, closeAfterReading: false, depth, structureCheck, cancellationToken).ConfigureAwait(false))
                    {
                        // The compressed stream is broken here: nothing after this entry can be read either.
                        return true;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Shows an entry to the checks and, when one of them needs its bytes or it is a container, reads
    /// it (once) and visits it. False when its data cannot be decompressed.
    /// </summary>
    private async Task<bool> VisitEntryAsync(ValidationItem entry, long length, Func<Stream> open, bool closeAfterReading, int depth, ValidationCheck structureCheck, CancellationToken cancellationToken)
    {
        var (child, kind) = Classified(entry);
        var needing = ChecksNeeding(child, kind, length);
        var opens = Opens(child, kind);
        if (needing is null && !opens)
        {
            return true;
        }

        if (depth + 1 > options.MaxDepth)
        {
            _findings.Add(child.Finding(RuleIds.TooDeep, FindingSeverity.Error, structureCheck, $"containers are nested more than {options.MaxDepth} deep; not opened"));
            return true;
        }

        Stream buffered;
        try
        {
            var source = open();
            if (closeAfterReading)
            {
                await using (source.ConfigureAwait(false))
                {
                    buffered = await BufferAsync(source, length, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                buffered = await BufferAsync(source, length, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            _findings.Add(child.Finding(RuleIds.ContainerUnreadable, FindingSeverity.Error, structureCheck, $"the entry cannot be decompressed ({ex.Message}); the archive is damaged: build or download it again"));
            return false;
        }

        await using (buffered.ConfigureAwait(false))
        {
            await VisitAsync(child, kind, buffered, needing, opens, depth + 1, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

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

    /// <summary>The check a container's structural findings count for when no other claims them: signing, which opens every container, when it runs.</summary>
    private ValidationCheck FirstWalkCheck() =>
        options.RingRuns(ValidationCheck.Signing) ? ValidationCheck.Signing : (options.RingChecks ?? options.Checks).Order().First();
}
