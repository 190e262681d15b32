using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ReleaseCli.Rings.BuildValidation.Signing;
using ReleaseCli.Rings.BuildValidation.Symbols;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// The bytes of one item, read once by the walker and shown to every check that needs them, with what
/// several checks parse from them (PE headers, the debug directory, a portable PDB's metadata) parsed
/// once on first use. A parse that finds the bytes damaged keeps the exception, and each check decides
/// whether reporting it is its part.
/// </summary>
internal sealed class ItemContent(ValidationItem item, ItemKind kind, Stream stream) : IDisposable
{
    private bool _layoutRead;
    private PeLayout? _layout;
    private PEReader? _peReader;
    private (PeDebugInfo? Info, Exception? Damage)? _debug;
    private MetadataReaderProvider? _pdbProvider;
    private (MetadataReader? Reader, Exception? Damage)? _portablePdb;

    public ValidationItem Item { get; } = item;

    public ItemKind Kind { get; } = kind;

    /// <summary>Seekable; whoever reads it sets its position first.</summary>
    public Stream Stream { get; } = stream;

    /// <summary>The PE headers Authenticode needs; null when the bytes are not a PE image (then no check reads it as one).</summary>
    public PeLayout? PortableExecutableLayout
    {
        get
        {
            if (!_layoutRead)
            {
                _layoutRead = true;
                try
                {
                    _layout = PeLayout.TryRead(Stream);
                }
                catch (EndOfStreamException)
                {
                    _layout = null;
                }
            }

            return _layout;
        }
    }

    /// <summary>The PE file's debug directory (CodeView record, embedded PDB, reference assembly), or why it cannot be read.</summary>
    public (PeDebugInfo? Info, Exception? Damage) DebugDirectory
    {
        get
        {
            if (_debug is null)
            {
                try
                {
                    Stream.Position = 0;
                    _peReader = new PEReader(Stream, PEStreamOptions.LeaveOpen | PEStreamOptions.PrefetchEntireImage);
                    _debug = (PeDebugInfo.Read(_peReader), null);
                }
                catch (Exception ex) when (IsDamagedMetadata(ex))
                {
                    _debug = (null, ex);
                }
            }

            return _debug.Value;
        }
    }

    /// <summary>The reader of a PE file whose <see cref="DebugDirectory"/> was read, for what else its debug directory holds.</summary>
    public PEReader PortableExecutable => _peReader ?? throw new InvalidOperationException("the debug directory has not been read");

    /// <summary>
    /// The metadata of a portable PDB (null, null when the bytes are not one), or why it cannot be read.
    /// </summary>
    public (MetadataReader? Reader, Exception? Damage) PortablePdb
    {
        get
        {
            if (_portablePdb is null)
            {
                Span<byte> magic = stackalloc byte[4];
                Stream.Position = 0;
                if (Stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual("BSJB"u8))
                {
                    _portablePdb = (null, null);
                    return _portablePdb.Value;
                }

                try
                {
                    Stream.Position = 0;
                    _pdbProvider = MetadataReaderProvider.FromPortablePdbStream(Stream, MetadataStreamOptions.LeaveOpen | MetadataStreamOptions.PrefetchMetadata);
                    _portablePdb = (_pdbProvider.GetMetadataReader(), null);
                }
                catch (Exception ex) when (IsDamagedMetadata(ex))
                {
                    _portablePdb = (null, ex);
                }
            }

            return _portablePdb.Value;
        }
    }

    /// <summary>How System.Reflection.Metadata reports a damaged image or PDB: mostly a bad image, some as an overflow.</summary>
    public static bool IsDamagedMetadata(Exception ex) => ex is BadImageFormatException or OverflowException;

    public void Dispose()
    {
        _peReader?.Dispose();
        _pdbProvider?.Dispose();
    }
}
