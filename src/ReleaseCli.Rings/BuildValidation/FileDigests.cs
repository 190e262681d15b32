using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// The SHA-512 of each file a pass hashed, by display path, kept as the 64 bytes of the digest: the hexadecimal text is
/// made only as the report is written (<see cref="FormatHex"/>), or when a caller reads the map as strings. At tens of
/// thousands of files a hex string (~300 bytes) and a dictionary entry per file were most of what verify held. Paths are
/// the inputs' own strings, not copies. Many workers add to it at once; it is read once they are done.
/// </summary>
public sealed class FileDigests : IReadOnlyDictionary<string, string>
{
    /// <summary>The bytes of one digest.</summary>
    public const int DigestBytes = 64;

    // Entries live in chunks: the digests of one (64 KiB) stay under the large-object threshold, and growing copies nothing.
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly Lock _gate = new();
    private readonly List<(string[] Paths, byte[] Digests)> _chunks = [];
    private int _added;
    private int[]? _ordered;
    private Dictionary<string, int>? _byPath;

    /// <summary>Files with a digest (a path added twice counts once).</summary>
    public int Count => Ordered().Length;

    /// <summary>Keeps <paramref name="sha512"/> as the digest of <paramref name="path"/>.</summary>
    public void Add(string path, ReadOnlySpan<byte> sha512)
    {
        if (sha512.Length != DigestBytes)
        {
            throw new ArgumentException($"a SHA-512 is {DigestBytes} bytes, not {sha512.Length}", nameof(sha512));
        }

        lock (_gate)
        {
            var index = _added;
            if ((index & (ChunkSize - 1)) == 0)
            {
                _chunks.Add((new string[ChunkSize], new byte[ChunkSize * DigestBytes]));
            }

            var (paths, digests) = _chunks[index >> ChunkShift];
            paths[index & (ChunkSize - 1)] = path;
            sha512.CopyTo(digests.AsSpan((index & (ChunkSize - 1)) * DigestBytes, DigestBytes));
            _added = index + 1;
            _ordered = null;
            _byPath = null;
        }
    }

    /// <summary>
    /// The entries in ordinal order of their paths, each path once (sorted once, however often asked): the order of the
    /// checksums file and of the JSON map.
    /// </summary>
    public int[] Ordered()
    {
        lock (_gate)
        {
            return _ordered ??= Sorted();
        }
    }

    /// <summary>The path of the entry at <paramref name="index"/> (an index from <see cref="Ordered"/>).</summary>
    public string PathAt(int index) => _chunks[index >> ChunkShift].Paths[index & (ChunkSize - 1)];

    /// <summary>The digest of the entry at <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> DigestAt(int index) => _chunks[index >> ChunkShift].Digests.AsSpan((index & (ChunkSize - 1)) * DigestBytes, DigestBytes);

    /// <summary>The digest of the entry at <paramref name="index"/> as 128 lower-case hexadecimal digits into <paramref name="destination"/>.</summary>
    public void FormatHex(int index, Span<char> destination)
    {
        if (!Convert.TryToHexStringLower(DigestAt(index), destination, out _))
        {
            throw new ArgumentException($"a SHA-512 takes {DigestBytes * 2} characters", nameof(destination));
        }
    }

    /// <summary>
    /// The digest of the entry at <paramref name="index"/> as 128 lower-case hexadecimal digits in UTF-8 into
    /// <paramref name="utf8Destination"/>: for a report written as UTF-8, digit by digit from a table (the runtime's
    /// vectorised formatter is not compiled ahead for UTF-8, and a verify of tens of thousands of files would run it unoptimised).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FormatHex(int index, Span<byte> utf8Destination)
    {
        if (utf8Destination.Length < DigestBytes * 2)
        {
            throw new ArgumentException($"a SHA-512 takes {DigestBytes * 2} bytes", nameof(utf8Destination));
        }

        var digits = "0123456789abcdef"u8;
        var digest = DigestAt(index);
        for (var i = 0; i < digest.Length; i++)
        {
            utf8Destination[2 * i] = digits[digest[i] >> 4];
            utf8Destination[(2 * i) + 1] = digits[digest[i] & 0xF];
        }
    }

    /// <summary>The digest of <paramref name="path"/>, if it was hashed.</summary>
    public bool TryGetDigest(string path, out ReadOnlySpan<byte> sha512)
    {
        if (ByPath().TryGetValue(path, out var index))
        {
            sha512 = DigestAt(index);
            return true;
        }

        sha512 = default;
        return false;
    }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no SHA-512 was computed for {key}");

    public IEnumerable<string> Keys => Ordered().Select(PathAt);

    public IEnumerable<string> Values => Ordered().Select(Hex);

    public bool ContainsKey(string key) => ByPath().ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = ByPath().TryGetValue(key, out var index) ? Hex(index) : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        Ordered().Select(index => new KeyValuePair<string, string>(PathAt(index), Hex(index))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string Hex(int index) => Convert.ToHexStringLower(DigestAt(index));

    /// <summary>Every entry's index, sorted by path; of a path added twice, the first.</summary>
    private int[] Sorted()
    {
        var indices = new int[_added];
        var keys = new string[_added];
        for (var i = 0; i < _added; i++)
        {
            indices[i] = i;
            keys[i] = PathAt(i);
        }

        SortByPath(keys, indices);
        // The same path given twice (two arguments naming one folder) was hashed twice; it is reported once.
        var distinct = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            if (distinct == 0 || !string.Equals(keys[i], keys[distinct - 1], StringComparison.Ordinal))
            {
                keys[distinct] = keys[i];
                indices[distinct++] = indices[i];
            }
        }

        Array.Resize(ref indices, distinct);
        return indices;
    }

    // Below this many entries one thread sorts them sooner than two.
    private const int ParallelSort = 8192;

    /// <summary>
    /// <paramref name="keys"/> sorted ordinally, <paramref name="indices"/> with them. A large map is sorted in two halves
    /// at once, which are then merged: sorting verify's 50,000 paths was most of the time between its pass and its output.
    /// </summary>
    private static void SortByPath(string[] keys, int[] indices)
    {
        if (keys.Length < ParallelSort || Environment.ProcessorCount < 2)
        {
            Array.Sort(keys, indices, StringComparer.Ordinal);
            return;
        }

        var half = keys.Length / 2;
        Parallel.Invoke(
            () => Array.Sort(keys, indices, 0, half, StringComparer.Ordinal),
            () => Array.Sort(keys, indices, half, keys.Length - half, StringComparer.Ordinal));
        var firstKeys = keys[..half];
        var firstIndices = indices[..half];
        int left = 0, right = half, to = 0;
        while (left < half && right < keys.Length)
        {
            // Equal paths (a folder given twice) may come in either order, as from one sort: all but one are dropped after.
            if (string.CompareOrdinal(keys[right], firstKeys[left]) < 0)
            {
                keys[to] = keys[right];
                indices[to++] = indices[right++];
            }
            else
            {
                keys[to] = firstKeys[left];
                indices[to++] = firstIndices[left++];
            }
        }

        while (left < half)
        {
            keys[to] = firstKeys[left];
            indices[to++] = firstIndices[left++];
        }
    }

    /// <summary>Entries by path, built on first look-up (a sidecar's comparison), not for a pass that only writes them out.</summary>
    private Dictionary<string, int> ByPath()
    {
        lock (_gate)
        {
            if (_byPath is { } byPath)
            {
                return byPath;
            }

            var ordered = _ordered ??= Sorted();
            byPath = new Dictionary<string, int>(ordered.Length, StringComparer.Ordinal);
            foreach (var index in ordered)
            {
                byPath[PathAt(index)] = index;
            }

            return _byPath = byPath;
        }
    }
}
