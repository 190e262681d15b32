using System.Buffers.Binary;
using System.Text;

namespace ReleaseCli.Core.Trust;

/// <summary>Writes the SSH wire encoding (RFC 4251: uint32, string, mpint).</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream _buffer = new();

    public SshWireWriter UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter Byte(byte value)
    {
        _buffer.WriteByte(value);
        return this;
    }

    public SshWireWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter String(ReadOnlySpan<byte> bytes) => UInt32((uint)bytes.Length).Raw(bytes);

    public SshWireWriter String(string text) => String(Encoding.UTF8.GetBytes(text));

    /// <summary>An unsigned big-endian number as an mpint: no leading zeros, one zero byte where the top bit is set.</summary>
    public SshWireWriter Mpint(ReadOnlySpan<byte> unsigned)
    {
        var trimmed = unsigned.TrimStart((byte)0);
        if (trimmed.Length > 0 && (trimmed[0] & 0x80) != 0)
        {
            return UInt32((uint)trimmed.Length + 1).Byte(0).Raw(trimmed);
        }

        return String(trimmed);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
