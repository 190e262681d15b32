using System.Buffers.Binary;

namespace ReleaseCli.Rings.BuildValidation.Symbols;

/// <summary>
/// The identity of a Windows (MSF 7.00) PDB: the GUID of its PDB info stream (stream 1) and the age of
/// its DBI stream (stream 3), which is the age a PE file's CodeView record names (the info stream's
/// own age counts every write of the file and may be higher). Read from the stream directory without
/// loading the rest of the file.
/// </summary>
public sealed record WindowsPdb(Guid Guid, int Age)
{
    private static ReadOnlySpan<byte> Magic => "Microsoft C/C++ MSF 7.00\r\n\u001aDS\0\0\0"u8;

    public static bool IsWindowsPdb(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    /// <summary>The identity; a <see cref="InvalidDataException"/> says what is wrong when the file is not a sound MSF PDB.</summary>
    public static WindowsPdb Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[56];
        stream.Position = 0;
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.StartsWith(Magic))
        {
            throw new InvalidDataException("it does not start with the MSF 7.00 superblock");
        }

        var blockSize = BinaryPrimitives.ReadInt32LittleEndian(header[32..]);
        var blockCount = BinaryPrimitives.ReadInt32LittleEndian(header[40..]);
        var directoryBytes = BinaryPrimitives.ReadInt32LittleEndian(header[44..]);
        var blockMapBlock = BinaryPrimitives.ReadInt32LittleEndian(header[52..]);
        if (blockSize is not (512 or 1024 or 2048 or 4096) || blockCount <= 0 || (long)blockCount * blockSize > stream.Length
            || directoryBytes < 4 || directoryBytes > blockSize * (blockSize / 4) || blockMapBlock <= 0 || blockMapBlock >= blockCount)
        {
            throw new InvalidDataException($"its superblock is inconsistent (block size {blockSize}, {blockCount} blocks, directory {directoryBytes} bytes)");
        }

        var reader = new BlockReader(stream, blockSize, blockCount);
        var directoryBlocks = reader.ReadInts(reader.Block(blockMapBlock), Blocks(directoryBytes, blockSize));
        var directory = reader.ReadStream(directoryBlocks, directoryBytes);
        var streamCount = BinaryPrimitives.ReadInt32LittleEndian(directory);
        if (streamCount < 4 || 4 + (4L * streamCount) > directory.Length)
        {
            throw new InvalidDataException($"its stream directory names {streamCount} streams; a PDB has at least 4");
        }

        var sizes = new int[streamCount];
        for (var i = 0; i < streamCount; i++)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(4 + (4 * i)));
            sizes[i] = size == uint.MaxValue ? 0 : (int)Math.Min(size, int.MaxValue);
        }

        // Stream block lists follow the sizes, stream after stream.
        var offset = 4 + (4 * streamCount);
        int[] StreamBlocks(int index)
        {
            var skip = 0;
            for (var i = 0; i < index; i++)
            {
                skip += Blocks(sizes[i], blockSize);
            }

            var count = Blocks(sizes[index], blockSize);
            if (offset + (4L * (skip + count)) > directory.Length)
            {
                throw new InvalidDataException($"its stream directory is shorter than the block lists it announces (stream {index})");
            }

            var blocks = new int[count];
            for (var i = 0; i < count; i++)
            {
                blocks[i] = BinaryPrimitives.ReadInt32LittleEndian(directory.AsSpan(offset + (4 * (skip + i))));
            }

            return blocks;
        }

        if (sizes[1] < 28)
        {
            throw new InvalidDataException($"its PDB info stream is {sizes[1]} bytes; it needs at least 28");
        }

        var info = reader.ReadStream(StreamBlocks(1), 28);
        var guid = new Guid(info.AsSpan(12, 16));
        var age = BinaryPrimitives.ReadInt32LittleEndian(info.AsSpan(8));
        if (sizes[3] >= 12)
        {
            var dbi = reader.ReadStream(StreamBlocks(3), 12);
            age = BinaryPrimitives.ReadInt32LittleEndian(dbi.AsSpan(8));
        }

        return new WindowsPdb(guid, age);
    }

    private static int Blocks(int bytes, int blockSize) => (int)(((long)bytes + blockSize - 1) / blockSize);

    private sealed class BlockReader(Stream stream, int blockSize, int blockCount)
    {
        public byte[] Block(int index)
        {
            if (index <= 0 || index >= blockCount)
            {
                throw new InvalidDataException($"it refers to block {index}, outside its {blockCount} blocks");
            }

            var block = new byte[blockSize];
            stream.Position = (long)index * blockSize;
            stream.ReadExactly(block);
            return block;
        }

        public int[] ReadInts(byte[] block, int count) =>
            [.. Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(4 * i)))];

        /// <summary>The first <paramref name="length"/> bytes of the stream made of <paramref name="blocks"/>.</summary>
        public byte[] ReadStream(int[] blocks, int length)
        {
            var bytes = new byte[length];
            for (var i = 0; i * blockSize < length; i++)
            {
                if (i >= blocks.Length)
                {
                    throw new InvalidDataException("a stream is longer than its blocks");
                }

                var block = Block(blocks[i]);
                block.AsSpan(0, Math.Min(blockSize, length - (i * blockSize))).CopyTo(bytes.AsSpan(i * blockSize));
            }

            return bytes;
        }
    }
}
