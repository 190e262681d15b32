using System.Buffers.Binary;
using System.Text;

namespace ReleaseCli.Core.Trust;

/// <summary>Reads the SSH wire encoding (RFC 4251: uint32, string, mpint); a short or malformed buffer throws <see cref="FormatException"/>.</summary>
internal sealed class SshWireReader(ReadOnlyMemory<byte> data)
{
    private int _at;

    public bool AtEnd => _at == data.Length;

    public ReadOnlyMemory<byte> Rest => data[_at..];

    public uint ReadUInt32()
    {
        var span = Take(4).Span;
        return BinaryPrimitives.ReadUInt32BigEndian(span);
    }

    public ReadOnlyMemory<byte> ReadBytes(int count) => Take(count);

    public ReadOnlyMemory<byte> ReadString()
    {
        var length = ReadUInt32();
        if (length > data.Length - _at)
        {
            throw new FormatException($"a field claims {length} bytes but only {data.Length - _at} remain");
        }

        return Take((int)length);
    }

    public string ReadText() => Encoding.UTF8.GetString(ReadString().Span);

    /// <summary>An mpint as unsigned big-endian bytes without leading zeros (SSH keys hold no negative numbers).</summary>
    public byte[] ReadMpint()
    {
        var bytes = ReadString().Span;
        if (bytes.Length > 0 && (bytes[0] & 0x80) != 0)
        {
            throw new FormatException("a key number is negative");
        }

        return bytes.TrimStart((byte)0).ToArray();
    }

    private ReadOnlyMemory<byte> Take(int count)
    {
        if (count < 0 || count > data.Length - _at)
        {
            throw new FormatException("the data ends early");
        }

        var slice = data.Slice(_at, count);
        _at += count;
        return slice;
    }
}
